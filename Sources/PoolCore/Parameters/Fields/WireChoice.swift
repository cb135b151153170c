import RequestDecoding

/// One of an enumeration's string values on the wire, decoded with the contract's message
/// ("must be one of "max", "avg", "lp", got "maxx"").
public struct WireChoice<E: RawRepresentable & CaseIterable>: Decodable where E.RawValue == String {
    public let value: E

    /// The values, quoted and comma-separated, for messages.
    public static var names: String { E.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ") }

    public init(from decoder: any Decoder) throws {
        let text: String
        do {
            text = try decoder.singleValueContainer().decode(String.self)
        } catch {
            guard let found = error.mismatch?.found else { throw error }
            throw decoder.problem("must be one of \(Self.names), got \(found)")
        }
        guard let value = E(rawValue: text) else { throw decoder.problem("must be one of \(Self.names), got \(Echo.quoted(text))") }
        self.value = value
    }
}
