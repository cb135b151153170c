/// A parsed JSON value. Numbers keep their text (as a range of the document's bytes) so that
/// each can be converted exactly to the type it is read as.
public indirect enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    /// An array, read from its text when its items are asked for.
    case array(JSONArray)
    case object(JSONObject)

    /// The items of an array, each read from the text, or nil for other values (for short
    /// arrays: see ``JSONArray/items``).
    public var items: [JSONValue]? {
        guard case .array(let array) = self else { return nil }
        return array.items
    }

    /// The number of items of an array, or nil for other values.
    public var count: Int? {
        guard case .array(let array) = self else { return nil }
        return array.count
    }

    /// Whether the value is an array.
    public var isArray: Bool { count != nil }

    /// A short name of the value's JSON type, for messages ("a string", "null", ...).
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
