import TensorJSON

/// The body of a 200 from `POST /pool/backward`.
public struct BackwardResponse: Codable, Equatable, Sendable {
    public var gradInput: TensorPayload
    /// The resolved rules, when the request named a convention.
    public var rules: [String: RuleValue]?
}
