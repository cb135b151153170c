/// The three ways a tensor is written on the wire.
public enum TensorEncoding: String, Codable, Sendable, CaseIterable {
    /// Nested arrays; rank is the nesting depth.
    case nested
    /// `{"shape": [...], "data": [...]}`, row-major.
    case flat
    /// `{"shape": [...], "dtype": "...", "b64": "..."}`, little-endian values in base64.
    case b64
}
