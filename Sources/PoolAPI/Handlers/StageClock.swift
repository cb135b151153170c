import MicroHTTP

/// The stages of one request as the handler lives through them (`parse`, `validate`, `pool`,
/// `encode`), for the `Server-Timing` header and the stage histogram; the server adds `recv`,
/// `queue`, `gzip` and `total` around them.
struct StageClock {
    private var last = MonotonicClock.now()
    /// The stages ended so far, in the order they first ended.
    private(set) var timings: [StageTiming] = []

    /// Ends the running stage as `stage`: the time since the last call (or since the clock
    /// started) is added to it — a stage may be ended more than once, as parsing is, before
    /// and after validation.
    mutating func end(_ stage: String) {
        let now = MonotonicClock.now()
        if let i = timings.firstIndex(where: { $0.name == stage }) {
            timings[i].seconds += now - last
        } else {
            timings.append(StageTiming(stage, seconds: now - last))
        }
        last = now
    }

    /// `response` carrying the stages.
    func stamp(_ response: Response) -> Response {
        var r = response
        r.timings = timings + r.timings
        return r
    }
}
