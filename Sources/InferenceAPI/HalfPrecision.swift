/// Conversions between float32 and the two 16-bit float formats, one value at a time.
///
/// Narrowing rounds to nearest, ties to even, and a value beyond the format's largest finite
/// number becomes ±∞ (what PyTorch's `.half()` and `.bfloat16()` do). NaN stays NaN.
enum HalfPrecision {
    /// The float32 value of IEEE 754 binary16 bits (exact).
    @inline(__always)
    static func float(fp16 bits: UInt16) -> Float { Float(Float16(bitPattern: bits)) }

    /// `v` rounded to binary16 (the standard library's conversion: nearest, ties to even, ±∞ past 65504).
    @inline(__always)
    static func fp16(_ v: Float) -> UInt16 { Float16(v).bitPattern }

    /// The float32 value of bfloat16 bits: they are float32's upper half (exact).
    @inline(__always)
    static func float(bf16 bits: UInt16) -> Float { Float(bitPattern: UInt32(bits) << 16) }

    /// `v` rounded to bfloat16: the upper 16 bits of float32 after adding 0x7FFF plus the lowest
    /// kept bit (round to nearest, ties to even; a carry into the exponent past the largest
    /// finite value gives ∞). A NaN keeps its sign and upper payload with the quiet bit set, so
    /// that truncation cannot turn it into ∞.
    @inline(__always)
    static func bf16(_ v: Float) -> UInt16 {
        let bits = v.bitPattern
        if v.isNaN { return UInt16(truncatingIfNeeded: bits >> 16) | 0x0040 }
        return UInt16(truncatingIfNeeded: (bits &+ 0x7FFF &+ ((bits >> 16) & 1)) >> 16)
    }

    /// `v` rounded to `type`'s precision and back (the identity for FP32): what a value of a
    /// 16-bit input is once it has been written in that type.
    @inline(__always)
    static func rounded(_ v: Float, to type: TensorDataType) -> Float {
        switch type {
        case .fp16: return float(fp16: fp16(v))
        case .bf16: return float(bf16: bf16(v))
        default: return v
        }
    }
}
