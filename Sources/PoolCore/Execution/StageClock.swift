/// The stages of one call as it lives through them (`parse`, `validate`, `pool`, `encode`), for
/// the front end to report (the HTTP server's `Server-Timing` header and stage histogram).
public struct StageClock: Sendable {
    private let clock = ContinuousClock()
    private var last: ContinuousClock.Instant
    /// The stages ended so far, in the order they first ended, with their seconds.
    public private(set) var stages: [(name: String, seconds: Double)] = []

    /// A clock whose first stage starts now.
    public init() { last = clock.now }

    /// Ends the running stage as `stage`: the time since the last call (or since the clock
    /// started) is added to it — a stage may be ended more than once, as parsing is, before
    /// and after validation.
    public mutating func end(_ stage: String) {
        let now = clock.now
        let d = last.duration(to: now).components
        let seconds = Double(d.seconds) + Double(d.attoseconds) * 1e-18
        if let i = stages.firstIndex(where: { $0.name == stage }) {
            stages[i].seconds += seconds
        } else {
            stages.append((stage, seconds))
        }
        last = now
    }
}
