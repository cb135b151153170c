/// One thing wrong with a request: where (an RFC 6901 JSON pointer) and what.
public struct Problem: Codable, Equatable, Sendable {
    /// The JSON pointer of the offending value ("" for the whole document).
    public var pointer: String
    /// What is wrong, for people.
    public var detail: String

    /// A problem at `pointer`.
    public init(pointer: String, detail: String) {
        self.pointer = pointer
        self.detail = detail
    }
}
