/// A parsed document: the bytes (numbers point into them) and the root value.
public struct JSONDocument: Sendable {
    /// The document's text.
    public let bytes: [UInt8]
    /// The root value.
    public let root: JSONValue

    /// The text of a number.
    public func text(of number: JSONNumber) -> String {
        String(decoding: bytes[number.offset..<(number.offset + number.length)], as: UTF8.self)
    }

    /// The text of a number as a message repeats it: at most ``Echo/limit`` characters, so that a
    /// number of a million digits is neither copied whole nor echoed whole.
    public func echo(_ number: JSONNumber) -> String {
        let end = number.offset + min(number.length, Echo.limit + 1)
        return Echo.cut(String(decoding: bytes[number.offset..<end], as: UTF8.self))
    }
}
