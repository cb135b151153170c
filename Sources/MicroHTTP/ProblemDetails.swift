import TensorJSON
/// An RFC 9457 problem document (`application/problem+json`): `type`, `title`, `status`,
/// `detail`, an optional `errors` list (each with a JSON `pointer`, as in RFC 9457 §3) and
/// further members. Every error answer of the service is written by this one type.
public struct ProblemDetails: Sendable {
    /// One problem with a part of the request, located by a JSON pointer (RFC 6901).
    public struct FieldError: Sendable, Equatable {
        /// The JSON pointer to the offending value (`/kernelSize/1`; empty for the whole body).
        public var pointer: String
        /// What is wrong with it.
        public var detail: String

        /// A problem at `pointer`.
        public init(pointer: String, detail: String) {
            self.pointer = pointer
            self.detail = detail
        }
    }

    /// The value of an extension member.
    public enum Member: Sendable, Equatable {
        /// A JSON integer.
        case integer(Int)
        /// A JSON string.
        case string(String)
    }

    /// The problem type URI (see ``ProblemType``).
    public var type: String
    /// A short summary of the type.
    public var title: String
    /// The HTTP status.
    public var status: Int
    /// What happened this time (values echoed from the request are cut, see ``echo(_:)``).
    public var detail: String
    /// The problems with parts of the request; nil leaves the member out.
    public var errors: [FieldError]?
    /// Members after `detail` (and `errors`), in order (`offset` of a JSON syntax error, …).
    public var members: [(name: String, value: Member)]
    /// Header fields sent with it (`Allow`, `Retry-After`, `Accept-Encoding`).
    public var headers: [(name: String, value: String)]

    /// The longest value a problem echoes from a request; longer ones are cut (``echo(_:)``).
    public static let echoLimit = 64
    /// The longest `detail` a problem carries.
    public static let detailLimit = 2048

    /// A problem document.
    public init(status: Int, type: String, title: String, detail: String, errors: [FieldError]? = nil,
                members: [(name: String, value: Member)] = [], headers: [(name: String, value: String)] = []) {
        self.status = status
        self.type = type
        self.title = title
        self.detail = detail
        self.errors = errors
        self.members = members
        self.headers = headers
    }

    /// `value` as a problem may echo it: at most ``echoLimit`` characters, the rest replaced by
    /// "…".
    public static func echo(_ value: String) -> String {
        cut(value, to: echoLimit)
    }

    /// `value` cut to `limit` characters, with "…" in place of the rest.
    static func cut(_ value: String, to limit: Int) -> String {
        guard value.count > limit else { return value }
        return String(value.prefix(limit)) + "…"
    }

    /// The document's JSON text.
    public var json: [UInt8] {
        var text = "{\"type\":" + JSONString.quoted(type) + ",\"title\":" + JSONString.quoted(title)
        text += ",\"status\":\(status),\"detail\":" + JSONString.quoted(Self.cut(detail, to: Self.detailLimit))
        if let errors {
            text += ",\"errors\":["
            for (k, error) in errors.enumerated() {
                if k > 0 { text += "," }
                text += "{\"pointer\":" + JSONString.quoted(error.pointer) + ",\"detail\":" + JSONString.quoted(error.detail) + "}"
            }
            text += "]"
        }
        for (name, value) in members {
            text += "," + JSONString.quoted(name) + ":"
            switch value {
            case .integer(let n): text += String(n)
            case .string(let s): text += JSONString.quoted(s)
            }
        }
        return Array((text + "}").utf8)
    }

    /// The document as a response.
    public var response: Response {
        Response(status: status, headers: [("Content-Type", "application/problem+json")] + headers, body: json)
    }
}
