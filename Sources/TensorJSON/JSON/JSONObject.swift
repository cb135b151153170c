/// A JSON object's members in document order (a repeated name is kept, for the reader to report).
public struct JSONObject: Sendable {
    /// The members as written.
    public var members: [(key: String, value: JSONValue)]

    /// The first value named `key`.
    public subscript(key: String) -> JSONValue? {
        members.first { $0.key == key }?.value
    }
}
