/// One thing wrong with a request: where (an RFC 6901 JSON pointer) and what.
public struct Problem: Codable, Equatable, Sendable {
    public var pointer: String
    public var detail: String

    public init(pointer: String, detail: String) {
        self.pointer = pointer
        self.detail = detail
    }
}

/// The problems found in one request. A request whose only problems are size limits is
/// answered 413; any other problem makes it 422 (listing the limits too).
public struct ProblemList: Sendable {
    /// At most this many are kept; the rest are counted.
    public static let cap = 50

    public private(set) var problems: [Problem] = []
    public private(set) var dropped = 0
    /// Whether every problem is a size limit (then the answer is 413).
    public var tooLarge: Bool { limits > 0 && limits == count }
    /// How many problems are size limits.
    private var limits = 0

    public init() {}

    public var isEmpty: Bool { problems.isEmpty }
    public var count: Int { problems.count + dropped }

    /// Records a contract violation (422).
    public mutating func add(_ pointer: JSONPointer, _ detail: String) {
        if problems.count < Self.cap { problems.append(Problem(pointer: pointer.description, detail: detail)) } else { dropped += 1 }
    }

    /// Records a size limit that was exceeded (413).
    public mutating func addLimit(_ pointer: JSONPointer, _ detail: String) {
        limits += 1
        add(pointer, detail)
    }
}

/// An RFC 6901 JSON pointer, built one step at a time.
public struct JSONPointer: CustomStringConvertible, Sendable, Equatable {
    private var tokens: [String] = []

    /// The whole document.
    public static let root = JSONPointer()

    public init() {}

    /// The pointer to member `key` of this value.
    public func appending(_ key: String) -> JSONPointer {
        var p = self
        p.tokens.append(key)
        return p
    }

    /// The pointer to element `index` of this value.
    public func appending(_ index: Int) -> JSONPointer { appending(String(index)) }

    public static func / (p: JSONPointer, key: String) -> JSONPointer { p.appending(key) }

    /// A member name as a pointer token, cut to 256 bytes (with "…") so that a hostile name
    /// cannot make a problem document as large as the request.
    public static func token(_ key: String) -> String {
        key.utf8.count <= 256 ? key : String(decoding: key.utf8.prefix(253), as: UTF8.self) + "…"
    }
    public static func / (p: JSONPointer, index: Int) -> JSONPointer { p.appending(index) }

    public var description: String {
        tokens.map { "/" + $0.replacingTilde() }.joined()
    }
}

extension String {
    fileprivate func replacingTilde() -> String {
        var out = ""
        for c in self {
            switch c {
            case "~": out += "~0"
            case "/": out += "~1"
            default: out.append(c)
            }
        }
        return out
    }
}
