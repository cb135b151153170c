/// The 16-bit float wire types and float32: IEEE 754 binary16 (`float16`) through Swift's
/// `Float16`, and bfloat16 (the upper half of a float32) by hand. Narrowing rounds to nearest
/// even and overflows to ±Infinity, as PyTorch's `.half()` and `.bfloat16()` do; NaN stays NaN
/// with its payload; widening is exact.
public enum HalfPrecision {
    /// The float32 value of binary16 `bits`. A NaN keeps its payload and its quiet bit (a
    /// hardware conversion would quiet a signaling NaN), so every pattern survives a round trip.
    @inline(__always)
    public static func float(float16 bits: UInt16) -> Float {
        guard bits & 0x7C00 == 0x7C00, bits & 0x3FF != 0 else { return Float(Float16(bitPattern: bits)) }
        return Float(bitPattern: UInt32(bits & 0x8000) << 16 | 0x7F80_0000 | UInt32(bits & 0x3FF) << 13)
    }

    /// `v` rounded to binary16 (a NaN keeps the upper bits of its payload and stays a NaN).
    @inline(__always)
    public static func float16(_ v: Float) -> UInt16 {
        guard v.isNaN else { return Float16(v).bitPattern }
        let bits = v.bitPattern
        let payload = UInt16(truncatingIfNeeded: (bits >> 13) & 0x3FF)
        return UInt16(truncatingIfNeeded: (bits >> 16) & 0x8000) | 0x7C00 | (payload == 0 ? 0x200 : payload)
    }

    /// The float32 value of bfloat16 `bits`.
    @inline(__always)
    public static func float(bfloat16 bits: UInt16) -> Float { Float(bitPattern: UInt32(bits) << 16) }

    /// `v` rounded to bfloat16: the upper 16 bits of the float32, rounded half to even.
    @inline(__always)
    public static func bfloat16(_ v: Float) -> UInt16 {
        let bits = v.bitPattern
        if v.isNaN {
            let upper = UInt16(truncatingIfNeeded: bits >> 16)
            // A payload only in the lower half would turn the NaN into an infinity: keep it quiet.
            return upper & 0x7F == 0 ? upper | 0x40 : upper
        }
        let rounded = bits &+ 0x7FFF &+ ((bits >> 16) & 1)
        return UInt16(truncatingIfNeeded: rounded >> 16)
    }

    /// `v` rounded to `type` (a 16-bit type) and widened back: the value the wire will carry.
    @inline(__always)
    public static func rounded(_ v: Float, to type: ElementType) -> Float {
        type == .float16 ? float(float16: float16(v)) : float(bfloat16: bfloat16(v))
    }
}
