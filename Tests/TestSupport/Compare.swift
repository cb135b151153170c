/// Where two arrays differ, described for a test failure, or nil when they agree.
public enum Compare {
    /// Bit-for-bit agreement (NaN equals NaN; +0 and −0 are equal).
    public static func exact(_ got: [Float], _ want: [Double]) -> String? {
        exact(got.map(Double.init), want)
    }

    /// Agreement within a relative tolerance, or within `absolute`.
    public static func close(_ got: [Float], _ want: [Double], tolerance: Double, absolute: Double = 0) -> String? {
        close(got.map(Double.init), want, tolerance: tolerance, absolute: absolute)
    }

    /// Bit-for-bit agreement (NaN equals NaN; +0 and −0 are equal).
    public static func exact(_ got: [Double], _ want: [Double]) -> String? {
        guard got.count == want.count else { return "count \(got.count) ≠ \(want.count)" }
        for k in 0..<got.count where !(got[k] == want[k] || (got[k].isNaN && want[k].isNaN)) {
            return "element \(k): got \(got[k]), want \(want[k])"
        }
        return nil
    }

    public static func close(_ got: [Double], _ want: [Double], tolerance: Double, absolute: Double = 0) -> String? {
        guard got.count == want.count else { return "count \(got.count) ≠ \(want.count)" }
        for k in 0..<got.count {
            let g = got[k], w = want[k]
            if (g.isNaN && w.isNaN) || g == w { continue }
            let difference = (g - w).magnitude
            let scale = Swift.max(g.magnitude, w.magnitude, 1e-3)
            if !(difference <= tolerance * scale || difference <= absolute) { return "element \(k): got \(g), want \(w)" }
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
