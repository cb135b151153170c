import TensorJSON

/// An RFC 9457 problem document as the service writes it.
public struct ProblemDocument: Codable, Equatable, Sendable {
    public var type: String
    public var title: String
    public var status: Int
    public var detail: String
    /// For 400: the byte offset where the JSON broke.
    public var offset: Int?
    /// For 413 and 422: every problem, each with its JSON pointer.
    public var errors: [Problem]?
}
