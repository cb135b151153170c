/// A request target (RFC 9112 §3.2) as sent: path and query split at the first `?`, nothing
/// decoded. The router matches the path byte for byte, so `%2F` is not a separator. A target in
/// absolute form (`http://host/path?query`, §3.2.2) is served by the path and query after its
/// authority, as the origin form of the same URI.
struct RequestTarget {
    /// The target as sent.
    let raw: String
    /// Up to the first `?` (after the scheme and authority in absolute form; `/` when the
    /// absolute form has no path).
    let path: String
    /// After the first `?`, or empty.
    let query: String
    /// Why the target cannot be served as it is (400), or nil.
    let problem: String?

    /// The target `bytes` (a C string up to its first NUL; `bytes.count` is that length).
    init(bytes: UnsafeBufferPointer<UInt8>) {
        raw = String(decoding: bytes, as: UTF8.self)
        let authority = Self.authority(of: bytes)
        let start = authority?.upperBound ?? 0
        let question = bytes[start...].firstIndex(of: UInt8(ascii: "?")) ?? bytes.count
        let origin = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<question]), as: UTF8.self)
        path = authority != nil && origin.isEmpty ? "/" : origin
        query = question < bytes.count
            ? String(decoding: UnsafeBufferPointer(rebasing: bytes[(question + 1)...]), as: UTF8.self) : ""
        problem = Self.check(bytes, path: start..<question)
            ?? authority.flatMap { Self.checkAuthority(UnsafeBufferPointer(rebasing: bytes[$0])) }
    }

    /// The `scheme://authority` of a target in absolute form with the `http` or `https`
    /// scheme (any case), or nil for any other form.
    private static func authority(of bytes: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        let lowered = bytes.prefix(8).map { $0 | 0x20 }
        let schemeEnd: Int
        if lowered.starts(with: Array("http://".utf8)) {
            schemeEnd = 7
        } else if lowered.starts(with: Array("https://".utf8)) {
            schemeEnd = 8
        } else {
            return nil
        }
        let end = bytes[schemeEnd...].firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") } ?? bytes.count
        return schemeEnd..<end
    }

    /// An authority an http URI must not have: none (RFC 9110 §4.2.1), or one with userinfo
    /// (§4.2.4: a recipient treats it as an error).
    private static func checkAuthority(_ authority: UnsafeBufferPointer<UInt8>) -> String? {
        if authority.isEmpty { return "the absolute-form request target has no host" }
        if authority.contains(UInt8(ascii: "@")) { return "the absolute-form request target has userinfo, which an http URI must not carry" }
        return nil
    }

    /// A control character or space anywhere in the target, or a percent-encoded control
    /// character in the path.
    private static func check(_ bytes: UnsafeBufferPointer<UInt8>, path: Range<Int>) -> String? {
        if let bad = bytes.first(where: { $0 <= 0x20 || $0 == 0x7F }) {
            return "the request target contains the control character or space 0x\(hex(bad))"
        }
        var i = path.lowerBound
        while i + 2 < path.upperBound {
            if bytes[i] == UInt8(ascii: "%"), let high = digit(bytes[i + 1]), let low = digit(bytes[i + 2]) {
                let value = high << 4 | low
                if value < 0x20 || value == 0x7F { return "the path contains the encoded control character %\(hex(value))" }
                i += 3
            } else {
                i += 1
            }
        }
        return nil
    }

    private static func digit(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    private static func hex(_ b: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(b >> 4)], digits[Int(b & 15)]])
    }
}
