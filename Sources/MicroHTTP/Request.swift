/// One complete HTTP request as the server hands it to a handler: the body is fully read.
public struct Request: Sendable {
    /// The request method.
    public var method: HTTPMethod
    /// The path without the query string, as sent (percent-encoding untouched).
    public var path: String
    /// The query string without the `?`, or empty.
    public var query: String
    /// Header fields with lower-cased names; a repeated field keeps its values joined by ", ".
    public var headers: [String: String]
    /// The whole request body.
    public var body: [UInt8]
    /// The request's id: its `X-Request-ID` when that is a safe token, else one made up; the
    /// server echoes it in the response.
    public var id: String

    public init(method: HTTPMethod, path: String, query: String = "", headers: [String: String] = [:], body: [UInt8] = [],
                id: String? = nil) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.id = id ?? RequestID.make(from: headers["x-request-id"])
    }

    /// The value of a header field; `name` is matched case-insensitively.
    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The media type of `Content-Type` without parameters, lower-cased (`application/json`).
    public var mediaType: String? {
        guard let value = header("content-type") else { return nil }
        let type = value.split(separator: ";", maxSplits: 1).first.map(String.init) ?? value
        return type.trimmingSpaces().lowercased()
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" { s.removeLast() }
        return String(s)
    }
}
