/// What a forward call computes and returns.
public enum ReturnPart: String, Codable, Sendable, CaseIterable {
    case output, indices, mask
}
