import RequestDecoding

/// An int that means "the same for every spatial dim", or one int per spatial dim; each ≥ 1.
public enum IntOrList: Codable, Equatable, Sendable {
    case int(Int)
    case list([Int])

    /// The per-dimension values for `d` spatial dims.
    public func expanded(to d: Int) -> [Int] {
        switch self {
        case .int(let v): return Array(repeating: v, count: max(d, 0))
        case .list(let l): return l
        }
    }

    /// The number of values a list gives (nil for an int).
    public var listCount: Int? {
        if case .list(let l) = self { return l.count }
        return nil
    }

    public init(from decoder: any Decoder) throws {
        if (try? decoder.unkeyedContainer()) != nil {
            self = .list(try BoundedList<Positive>(from: decoder).values)
        } else {
            self = .int(try BoundedInt<Positive>(from: decoder).value)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .int(let v): try c.encode(v)
        case .list(let l): try c.encode(l)
        }
    }
}
