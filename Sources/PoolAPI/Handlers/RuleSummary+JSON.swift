import PoolCore
import TensorJSON

extension RuleSummary {
    /// `"rules":{…},` when a convention set the rules; nothing otherwise.
    static func write(_ summary: RuleSummary?, into w: inout JSONWriter) {
        guard let summary else { return }
        w.key("rules")
        summary.writeObject(into: &w)
        w.byte(UInt8(ascii: ","))
    }

    /// The summary as a JSON object (names as strings, numbers as numbers).
    func writeObject(into w: inout JSONWriter) {
        w.byte(UInt8(ascii: "{"))
        for (k, entry) in entries.enumerated() {
            if k > 0 { w.byte(UInt8(ascii: ",")) }
            w.key(entry.key)
            switch entry.value {
            case .name(let s): w.string(s)
            case .number(let n): w.int(Int64(n))
            }
        }
        w.byte(UInt8(ascii: "}"))
    }
}
