/// Request ids: a client's `X-Request-ID` is kept when it is 1 to 128 characters of
/// `[A-Za-z0-9._:-]` (safe in a header and a log line); otherwise a random 16-hex-digit id is made.
public enum RequestID {
    /// The id for a request that sent `header` (nil when it sent none).
    public static func make(from header: String?) -> String {
        if let header, isSafe(header) { return header }
        var generator = SystemRandomNumberGenerator()
        let hex = String(generator.next() as UInt64, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Whether `s` may be echoed as it is.
    public static func isSafe(_ s: String) -> Bool {
        guard (1...128).contains(s.utf8.count) else { return false }
        return s.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: ":") || b == UInt8(ascii: "-")
        }
    }
}
