/// A parsed JSON value. Numbers keep their text (as a range of the document's bytes) so that
/// each can be converted exactly to the type it is read as.
public indirect enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    /// An array of numbers only, packed (the parser's fast path for tensor data).
    case numbers([JSONNumber])
    case object(JSONObject)

    /// The elements of an array (either representation), or nil for other values.
    public var items: [JSONValue]? {
        switch self {
        case .array(let items): return items
        case .numbers(let numbers): return numbers.map(JSONValue.number)
        default: return nil
        }
    }

    /// Whether the value is an array (either representation).
    public var isArray: Bool {
        switch self {
        case .array, .numbers: return true
        default: return false
        }
    }

    /// A short name of the value's JSON type, for messages.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array, .numbers: return "an array"
        case .object: return "an object"
        }
    }
}

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

/// A JSON object's members in document order (a repeated name is kept, for the reader to report).
public struct JSONObject: Sendable {
    public var members: [(key: String, value: JSONValue)]

    /// The first value named `key`.
    public subscript(key: String) -> JSONValue? {
        members.first { $0.key == key }?.value
    }
}

/// A parsed document: the bytes (numbers point into them) and the root value.
public struct JSONDocument: Sendable {
    public let bytes: [UInt8]
    public let root: JSONValue

    /// The text of a number.
    public func text(of number: JSONNumber) -> String {
        String(decoding: bytes[number.offset..<(number.offset + number.length)], as: UTF8.self)
    }
}
