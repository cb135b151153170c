/// A body the parser refuses, with the byte offset where reading stopped: either not valid JSON
/// (RFC 8259), or valid JSON past one of the reader's ``JSONParseLimits`` (``isLimit``; then
/// ``pointer`` says where, as far as the parser knows it: the member names on the way).
public struct JSONSyntaxError: Error, Equatable, CustomStringConvertible, Sendable {
    /// Zero-based byte offset into the body.
    public let offset: Int
    /// What is wrong, for people.
    public let message: String
    /// Whether the JSON is valid but past a limit of the reader (a 422, not a 400).
    public var isLimit = false
    /// For a limit: the JSON pointer of the value, from the member names around it.
    public var pointer: JSONPointer = .root

    /// An error at `offset`.
    public init(offset: Int, message: String, isLimit: Bool = false, pointer: JSONPointer = .root) {
        self.offset = offset
        self.message = message
        self.isLimit = isLimit
        self.pointer = pointer
    }

    public var description: String { "\(message) at byte \(offset)" }
}
