/// Element types of `b64` tensors on the wire.
public enum ElementType: String, Codable, Sendable, CaseIterable {
    case float16, bfloat16, float32, float64, int64

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .float16, .bfloat16: return 2
        case .float32: return 4
        case .float64, .int64: return 8
        }
    }

    /// Whether the type is one of the 16-bit floats (computed in float32, answered in their own type).
    public var isHalfPrecision: Bool { self == .float16 || self == .bfloat16 }
}
