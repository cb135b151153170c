/// A JSON number as written: where its text lies in the document (8 bytes, so that packed
/// tensor data stays small). Its value is read from the text by the type it is wanted as.
public struct JSONNumber: Sendable {
    let start: UInt32
    let count: UInt32

    init(offset: Int, length: Int) {
        start = UInt32(truncatingIfNeeded: offset)
        count = UInt32(truncatingIfNeeded: length)
    }

    /// Byte offset of the text in the document.
    public var offset: Int { Int(start) }
    /// Length of the text in bytes.
    public var length: Int { Int(count) }
}
