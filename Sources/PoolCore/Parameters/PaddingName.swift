/// A padding name of the contract.
public enum PaddingName: String, Codable, Sendable, CaseIterable {
    case valid, same
    case sameLower = "same_lower"
}
