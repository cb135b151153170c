import TensorJSON

/// Log values made safe: whatever a client sent (a path, a query, a header value, a message
/// from libmicrohttpd) reaches a log line without a control character and cut when long, so a
/// `%0A`, a raw CR or an ANSI escape cannot forge or hide a line.
enum LogEscaping {
    /// The most characters a value keeps in a log line.
    static let limit = 256

    /// `value` cut to ``limit`` characters, with "…" and the number of characters left out.
    static func cut(_ value: String) -> String {
        guard value.count > limit else { return value }
        return String(value.prefix(limit)) + "…(+\(value.count - limit))"
    }

    /// Whether `scalar` must not appear in a log line as it is: C0 and C1 controls, DEL, and the
    /// Unicode line and paragraph separators.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
    }

    /// `value` for the text format: cut, controls and backslashes escaped (`\n`, `\u{1B}`), and
    /// in double quotes (with `"` escaped) when it holds a space, `=` or `"` or is empty, so that
    /// one value cannot pass for several fields.
    static func text(_ value: String) -> String {
        // Most values (ids, paths, numbers) are short printable ASCII with nothing to escape.
        if !value.isEmpty, value.utf8.count <= limit,
           value.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\\") && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "=") }) {
            return value
        }
        var out = ""
        var quote = value.isEmpty
        for scalar in cut(value).unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\"": out += "\\\""; quote = true
            case " ", "=": out.unicodeScalars.append(scalar); quote = true
            default:
                if isControl(scalar) {
                    out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return quote ? "\"" + out + "\"" : out
    }

    /// `value` cut, as a JSON string literal (every control character escaped).
    static func json(_ value: String) -> String { JSONString.quoted(cut(value)) }
}
