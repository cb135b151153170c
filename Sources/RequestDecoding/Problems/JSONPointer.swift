/// An RFC 6901 JSON pointer, built one step at a time.
public struct JSONPointer: CustomStringConvertible, Sendable, Equatable, Hashable {
    private var tokens: [String] = []

    /// The whole document.
    public static let root = JSONPointer()

    /// The root pointer.
    public init() {}

    /// The pointer of a Codable coding path.
    public init(_ path: [any CodingKey]) {
        tokens = path.map { $0.intValue.map(String.init) ?? Self.token($0.stringValue) }
    }

    /// The pointer to member `key` of this value.
    public func appending(_ key: String) -> JSONPointer {
        var p = self
        p.tokens.append(Self.token(key))
        return p
    }

    /// The pointer to element `index` of this value.
    public func appending(_ index: Int) -> JSONPointer {
        var p = self
        p.tokens.append(String(index))
        return p
    }

    /// `p / "key"`: the pointer to a member.
    public static func / (p: JSONPointer, key: String) -> JSONPointer { p.appending(key) }
    /// `p / 3`: the pointer to an element.
    public static func / (p: JSONPointer, index: Int) -> JSONPointer { p.appending(index) }

    /// A member name as a pointer token, cut to 256 bytes (with "…") so that a hostile name
    /// cannot make a problem document as large as the request.
    public static func token(_ key: String) -> String {
        key.utf8.count <= 256 ? key : String(decoding: key.utf8.prefix(253), as: UTF8.self) + "…"
    }

    /// The pointer's text: "" for the root, else "/a/0/b" with `~` and `/` escaped.
    public var description: String {
        var out = ""
        for token in tokens {
            out += "/"
            for c in token.unicodeScalars {
                switch c {
                case "~": out += "~0"
                case "/": out += "~1"
                default: out.unicodeScalars.append(c)
                }
            }
        }
        return out
    }
}
