/// A parsed JSON value. Numbers keep their text (as a range of the document's bytes) so that
/// each can be converted exactly to the type it is read as.
public indirect enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// A short name of the value's JSON type, for messages.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

/// A JSON number as written: where its text lies in the document and whether it is an integer
/// literal (no fraction, no exponent).
public struct JSONNumber: Sendable {
    public let offset: Int
    public let length: Int
    public let isInteger: Bool
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
