/// The computation's floating-point type.
public enum ComputeType: String, Codable, Sendable, CaseIterable {
    case float32, float64
}
