import PoolAPI
import TensorJSON

/// Writes parsed JSON values back as JSON text, numbers exactly as they were written.
enum JSONText {
    /// The text of `value`, a value of `document`.
    static func text(of value: JSONValue, in document: JSONDocument) -> [UInt8] {
        var w = JSONWriter(capacity: 64)
        write(value, in: document, into: &w)
        return w.bytes
    }

    private static func write(_ value: JSONValue, in document: JSONDocument, into w: inout JSONWriter) {
        switch value {
        case .null: w.raw("null")
        case .bool(let b): if b { w.raw("true") } else { w.raw("false") }
        case .number(let n): w.append(Array(document.text(of: n).utf8))
        case .string(let s): w.string(s)
        case .array, .numbers:
            w.byte(UInt8(ascii: "["))
            for (k, item) in (value.items ?? []).enumerated() {
                if k > 0 { w.byte(UInt8(ascii: ",")) }
                write(item, in: document, into: &w)
            }
            w.byte(UInt8(ascii: "]"))
        case .object(let o):
            w.byte(UInt8(ascii: "{"))
            for (k, member) in o.members.enumerated() {
                if k > 0 { w.byte(UInt8(ascii: ",")) }
                w.key(member.key)
                write(member.value, in: document, into: &w)
            }
            w.byte(UInt8(ascii: "}"))
        }
    }
}
