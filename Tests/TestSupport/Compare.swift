/// Where two arrays differ, described for a test failure, or nil when they agree.
public enum Compare {
    /// Bit-for-bit agreement (NaN equals NaN; +0 and −0 are equal).
    public static func exact<A: BinaryFloatingPoint, B: BinaryFloatingPoint>(_ got: [A], _ want: [B]) -> String? {
        guard got.count == want.count else { return "count \(got.count) ≠ \(want.count)" }
        for k in 0..<got.count {
            let g = Double(got[k]), w = Double(want[k])
            if !(g == w || (g.isNaN && w.isNaN)) { return "element \(k): got \(g), want \(w)" }
        }
        return nil
    }

    /// Agreement within a relative tolerance (absolute near zero).
    public static func close<A: BinaryFloatingPoint, B: BinaryFloatingPoint>(_ got: [A], _ want: [B], tolerance: Double) -> String? {
        guard got.count == want.count else { return "count \(got.count) ≠ \(want.count)" }
        for k in 0..<got.count {
            let g = Double(got[k]), w = Double(want[k])
            if g.isNaN && w.isNaN { continue }
            if g == w { continue }
            if !(abs(g - w) <= tolerance * max(abs(g), abs(w), 1e-3)) { return "element \(k): got \(g), want \(w)" }
        }
        return nil
    }
}

/// A small deterministic random generator (SplitMix64), so that random tests repeat.
public struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}
