import TensorJSON

/// The tensor element types of the Open Inference Protocol (its "Tensor Data Types").
public enum TensorDataType: String, Sendable, CaseIterable {
    /// One byte, 0 or 1.
    case bool = "BOOL"
    /// Unsigned integers of 8 to 64 bits.
    case uint8 = "UINT8", uint16 = "UINT16", uint32 = "UINT32", uint64 = "UINT64"
    /// Signed integers of 8 to 64 bits (INT64: pooling's indices).
    case int8 = "INT8", int16 = "INT16", int32 = "INT32", int64 = "INT64"
    /// IEEE 754 binary16, bfloat16, binary32, binary64 (what pooling computes on).
    case fp16 = "FP16", bf16 = "BF16", fp32 = "FP32", fp64 = "FP64"
    /// Byte strings, each with a 4-byte length (not a pooling type).
    case bytes = "BYTES"

    /// Bytes per element in the binary tensor data extension (nil for BYTES, whose elements
    /// carry their own length).
    public var byteSize: Int? {
        switch self {
        case .bool, .uint8, .int8: return 1
        case .uint16, .int16, .fp16, .bf16: return 2
        case .uint32, .int32, .fp32: return 4
        case .uint64, .int64, .fp64: return 8
        case .bytes: return nil
        }
    }

    /// The floating-point types a pooling input may have.
    public static let floatingPoint: [TensorDataType] = [.fp16, .bf16, .fp32, .fp64]
}

extension TensorDataType {
    /// `v` rounded to this type's precision and back (the identity for the other types): what
    /// a value of a 16-bit input is once it has been written in that type.
    @inline(__always)
    package static func rounded(_ v: Float, to type: TensorDataType) -> Float {
        switch type {
        case .fp16: return HalfPrecision.rounded(v, to: .float16)
        case .bf16: return HalfPrecision.rounded(v, to: .bfloat16)
        default: return v
        }
    }
}
