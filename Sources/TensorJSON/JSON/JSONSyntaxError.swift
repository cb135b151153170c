/// A body that is not valid JSON (RFC 8259), with the byte offset where reading stopped.
public struct JSONSyntaxError: Error, Equatable, CustomStringConvertible, Sendable {
    /// Zero-based byte offset into the body.
    public let offset: Int
    public let message: String

    public var description: String { "\(message) at byte \(offset)" }
}
