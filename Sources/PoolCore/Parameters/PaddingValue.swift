import RequestDecoding

/// Every padding form of the contract; every amount ≥ 0.
public enum PaddingValue: Codable, Equatable, Sendable {
    /// Symmetric, the same for every dim (PyTorch).
    case int(Int)
    /// Symmetric, per dim (PyTorch).
    case list([Int])
    /// Asymmetric, per dim (ONNX `pads`).
    case explicit(begin: [Int], end: [Int])
    /// `valid`, `same` or `same_lower`.
    case named(PaddingName)

    private enum Keys: String, CodingKey, CaseIterable { case begin, end }

    public init(from decoder: any Decoder) throws {
        if let c = try? decoder.container(keyedBy: Keys.self) {
            var begin: [Int]?, end: [Int]?
            do { begin = try c.decode(BoundedList<NonNegative>.self, forKey: .begin).values } catch { try decoder.record(error) }
            do { end = try c.decode(BoundedList<NonNegative>.self, forKey: .end).values } catch { try decoder.record(error) }
            guard let begin, let end else { throw ProblemsRecorded() }
            self = .explicit(begin: begin, end: end)
        } else if (try? decoder.singleValueContainer().decode(String.self)) != nil {
            self = .named(try WireChoice<PaddingName>(from: decoder).value)
        } else if (try? decoder.unkeyedContainer()) != nil {
            self = .list(try BoundedList<NonNegative>(from: decoder).values)
        } else {
            do {
                _ = try decoder.singleValueContainer().decode(Double.self)
            } catch {
                // A number too large for a double is still a number: the integer check says so.
                guard let mismatch = error.mismatch else { throw error }
                if mismatch.kind == .type { throw decoder.problem("must be an integer, a list of integers, {\"begin\": [...], \"end\": [...]}, \"valid\", \"same\" or \"same_lower\"; got \(mismatch.found)") }
            }
            self = .int(try BoundedInt<NonNegative>(from: decoder).value)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .explicit(let begin, let end):
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(begin, forKey: .begin)
            try c.encode(end, forKey: .end)
        case .int(let v): var c = encoder.singleValueContainer(); try c.encode(v)
        case .list(let l): var c = encoder.singleValueContainer(); try c.encode(l)
        case .named(let n): var c = encoder.singleValueContainer(); try c.encode(n)
        }
    }
}
