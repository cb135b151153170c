/// The samples the service draws for fractional pooling when a request gives a `seed` (or
/// neither seed nor samples), the same on every platform: SplitMix64 from the seed, one value
/// per sample in [N, C, d] row-major order, each the top 24 bits of the next output over 2²⁴ —
/// a value in [0, 1) that float32 and float64 hold exactly, so the response's `samples` replay
/// the call bit for bit.
///
/// SplitMix64 (Steele, Lea, Flood 2014): state += 0x9E3779B97F4A7C15; z = state;
/// z = (z ^ (z >> 30)) · 0xBF58476D1CE4E5B9; z = (z ^ (z >> 27)) · 0x94D049BB133111EB;
/// output z ^ (z >> 31) (all arithmetic modulo 2⁶⁴).
public enum FractionalSampler {
    /// `count` samples from `seed`.
    public static func draw(count: Int, seed: Int64) -> [Double] {
        var state = UInt64(bitPattern: seed)
        return (0..<count).map { _ in
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            return Double(z >> 40) / Double(1 << 24)
        }
    }

    /// A seed for a request that gave none.
    static func freshSeed() -> Int64 { Int64.random(in: .min ... .max) }
}
