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

    /// The number of elements of an array (either representation), or nil for other values.
    public var count: Int? {
        switch self {
        case .array(let items): return items.count
        case .numbers(let numbers): return numbers.count
        default: return nil
        }
    }

    /// Whether the value is an array (either representation).
    public var isArray: Bool { count != nil }

    /// A short name of the value's JSON type, for messages ("a string", "null", ...).
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
