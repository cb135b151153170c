/// How long one stage of a request took, for the `Server-Timing` response header (W3C Server
/// Timing) and the exchange the server reports (``Exchange/timings``).
public struct StageTiming: Sendable, Equatable {
    /// The stage's name, a token (`recv`, `parse`, `pool`, …).
    public var name: String
    /// Its duration in seconds.
    public var seconds: Double

    /// A stage `name` that took `seconds`.
    public init(_ name: String, seconds: Double) {
        self.name = name
        self.seconds = seconds
    }

    /// The `Server-Timing` header value for `timings`: `name;dur=milliseconds, …`.
    public static func headerValue(_ timings: [StageTiming]) -> String {
        timings.map { "\($0.name);dur=\(milliseconds($0.seconds))" }.joined(separator: ", ")
    }

    /// `seconds` in milliseconds with three decimals.
    static func milliseconds(_ seconds: Double) -> String {
        let micros = Int((max(0, seconds) * 1e6).rounded())
        let fraction = String(micros % 1000)
        return "\(micros / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}
