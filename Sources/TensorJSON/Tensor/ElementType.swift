/// Element types of `b64` tensors on the wire.
public enum ElementType: String, Codable, Sendable, CaseIterable {
    case float32, float64, int64

    /// Bytes per element.
    public var size: Int { self == .float32 ? 4 : 8 }
}
