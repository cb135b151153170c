/// The resolved rule for each point where frameworks differ, in the order answers list them:
/// what an answer made under a convention carries as `rules`, so that nothing is implicit.
/// The keys are the rule names `/pool/compare` cites.
public struct RuleSummary: Sendable, Equatable {
    /// A rule's value: a name, or a number (index base, opset).
    public enum Value: Sendable, Equatable, CustomStringConvertible {
        case name(String)
        case number(Int)

        public var description: String {
            switch self {
            case .name(let s): return s
            case .number(let n): return String(n)
            }
        }
    }

    /// The rule names, in answer order (the keys after `convention` and `opset`).
    public static let ruleNames = ["nan", "ties", "signedZero", "padding", "emptyWindow", "ceilMode", "divisor", "lp",
                                   "indexBase", "indexSpace", "indexOrder"]

    public private(set) var entries: [(key: String, value: Value)] = []

    public init() {}

    public static func == (a: RuleSummary, b: RuleSummary) -> Bool {
        a.entries.map(\.key) == b.entries.map(\.key) && a.entries.map(\.value) == b.entries.map(\.value)
    }

    public subscript(key: String) -> Value? {
        get { entries.first { $0.key == key }?.value }
        set {
            if let i = entries.firstIndex(where: { $0.key == key }) {
                if let newValue { entries[i].value = newValue } else { entries.remove(at: i) }
            } else if let newValue {
                entries.append((key, newValue))
            }
        }
    }

    /// The summary as JSON text (what the Open Inference Protocol front ends send as the
    /// response parameter `rules`, since protocol parameters are scalars).
    public var jsonText: String {
        func quoted(_ s: String) -> String {
            "\"" + s.unicodeScalars.map { c in
                c == "\"" ? "\\\"" : c == "\\" ? "\\\\" : c.value < 0x20 ? "\\u" + String(repeating: "0", count: 4 - String(c.value, radix: 16).count) + String(c.value, radix: 16) : String(c)
            }.joined() + "\""
        }
        let members = entries.map { entry -> String in
            switch entry.value {
            case .name(let s): return quoted(entry.key) + ":" + quoted(s)
            case .number(let n): return quoted(entry.key) + ":" + String(n)
            }
        }
        return "{" + members.joined(separator: ",") + "}"
    }
}
