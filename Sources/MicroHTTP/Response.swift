/// An HTTP response: status, header fields and a body held in one buffer.
public struct Response: Sendable {
    /// The status code.
    public var status: Int
    /// Header fields in the order they are sent. `Content-Length` is added by the server.
    public var headers: [(name: String, value: String)]
    /// The body bytes.
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A response with a body of the given media type.
    public init(status: Int, contentType: String, body: [UInt8]) {
        self.init(status: status, headers: [("Content-Type", contentType)], body: body)
    }

    /// The value of the first header field called `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }
}

extension Response {
    /// An RFC 9457 `application/problem+json` response with `type`, `title`, `status` and `detail`.
    ///
    /// MicroHTTP uses it for the errors it answers itself (404, 405, 413); the JSON is written
    /// here so that this layer needs no JSON library.
    public static func problem(status: Int, type: String, title: String, detail: String,
                               extraHeaders: [(name: String, value: String)] = []) -> Response {
        var text = "{\"type\":" + jsonQuoted(type) + ",\"title\":" + jsonQuoted(title)
        text += ",\"status\":\(status),\"detail\":" + jsonQuoted(detail) + "}"
        return Response(status: status,
                        headers: [("Content-Type", "application/problem+json")] + extraHeaders,
                        body: Array(text.utf8))
    }

    /// `s` as a JSON string literal (RFC 8259 escapes), for the small JSON this layer and its
    /// users write by hand.
    public static func jsonQuoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
