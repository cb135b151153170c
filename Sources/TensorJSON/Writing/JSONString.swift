/// JSON string literals (RFC 8259 §7): the one quoting of the codec, the HTTP layer's problem
/// documents and the log lines.
public enum JSONString {
    /// `s` as a JSON string literal, quotes included.
    public static func quoted(_ s: String) -> String {
        var out: [UInt8] = []
        append(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `s` as a JSON string literal to `out`: `"` and `\` escaped; C0 controls as `\n`,
    /// `\r`, `\t` or `\u00XX`; DEL, the C1 controls and the line and paragraph separators
    /// (U+2028, U+2029) as `\uXXXX`, so that the literal is safe in a log line or a script too;
    /// everything else as UTF-8.
    public static func append(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for scalar in s.unicodeScalars {
            let v = scalar.value
            switch v {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x0A: out += [0x5C, UInt8(ascii: "n")]
            case 0x0D: out += [0x5C, UInt8(ascii: "r")]
            case 0x09: out += [0x5C, UInt8(ascii: "t")]
            case 0..<0x20, 0x7F...0x9F, 0x2028, 0x2029:
                let hex = Array("0123456789abcdef".utf8)
                out += [0x5C, UInt8(ascii: "u"), hex[Int(v >> 12)], hex[Int((v >> 8) & 15)], hex[Int((v >> 4) & 15)], hex[Int(v & 15)]]
            case 0..<0x80: out.append(UInt8(v))
            default: out.append(contentsOf: scalar.utf8)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
