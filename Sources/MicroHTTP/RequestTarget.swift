/// A request target (RFC 9112 §3.2) as sent: path and query split at the first `?`, nothing
/// decoded. The router matches the path byte for byte, so `%2F` is not a separator.
struct RequestTarget {
    /// The target as sent.
    let raw: String
    /// Up to the first `?`.
    let path: String
    /// After the first `?`, or empty.
    let query: String
    /// Why the target cannot be served as it is (400), or nil.
    let problem: String?

    /// The target `bytes` (a C string up to its first NUL; `bytes.count` is that length).
    init(bytes: UnsafeBufferPointer<UInt8>) {
        raw = String(decoding: bytes, as: UTF8.self)
        let question = bytes.firstIndex(of: UInt8(ascii: "?")) ?? bytes.count
        path = String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<question]), as: UTF8.self)
        query = question < bytes.count
            ? String(decoding: UnsafeBufferPointer(rebasing: bytes[(question + 1)...]), as: UTF8.self) : ""
        problem = Self.check(bytes, pathEnd: question)
    }

    /// A control character or space anywhere in the target, or a percent-encoded control
    /// character in the path.
    private static func check(_ bytes: UnsafeBufferPointer<UInt8>, pathEnd: Int) -> String? {
        if let bad = bytes.first(where: { $0 <= 0x20 || $0 == 0x7F }) {
            return "the request target contains the control character or space 0x\(hex(bad))"
        }
        var i = 0
        while i + 2 < pathEnd {
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
