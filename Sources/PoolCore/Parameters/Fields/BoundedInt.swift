import RequestDecoding

/// The range an integer field of the contract takes.
public protocol IntBounds {
    /// The values accepted.
    static var range: ClosedRange<Int64> { get }
}

/// Integers ≥ 1 (window extents, strides, dilations, sizes, divisors).
public enum Positive: IntBounds { public static let range: ClosedRange<Int64> = 1...BoundedInt<Positive>.maximum }
/// Integers ≥ 0 (padding).
public enum NonNegative: IntBounds { public static let range: ClosedRange<Int64> = 0...BoundedInt<NonNegative>.maximum }

/// A JSON integer literal in `B.range`, decoded exactly, with the contract's messages ("must be
/// an integer ≥ 1, got a string", "must be ≥ 1 and ≤ 2147483647, got 0").
public struct BoundedInt<B: IntBounds>: Decodable {
    /// The largest value any integer parameter takes.
    public static var maximum: Int64 { Int64(Int32.max) }

    public let value: Int

    /// "≥ 1", or "in 1...5" for a range with another upper bound.
    static var rangeText: String {
        B.range.upperBound == maximum ? "≥ \(B.range.lowerBound)" : "in \(B.range.lowerBound)...\(B.range.upperBound)"
    }

    /// The message for a value out of range.
    static func outOfRange(_ found: String) -> String {
        "must be \(rangeText)" + (B.range.upperBound == maximum ? " and ≤ \(maximum)" : "") + ", got \(found)"
    }

    public init(from decoder: any Decoder) throws {
        let v: Int64
        do {
            v = try decoder.singleValueContainer().decode(Int64.self)
        } catch {
            guard let mismatch = error.mismatch else { throw error }
            switch mismatch.kind {
            case .type: throw decoder.problem("must be an integer \(Self.rangeText), got \(mismatch.found)")
            case .range: throw decoder.problem(Self.outOfRange(mismatch.found))
            }
        }
        guard B.range.contains(v) else { throw decoder.problem(Self.outOfRange(String(v))) }
        value = Int(v)
    }
}

/// A non-empty JSON list of integers in `B.range`; every bad element is recorded.
public struct BoundedList<B: IntBounds>: Decodable {
    public let values: [Int]

    public init(from decoder: any Decoder) throws {
        var c: any UnkeyedDecodingContainer
        do {
            c = try decoder.unkeyedContainer()
        } catch {
            guard let found = error.mismatch?.found else { throw error }
            throw decoder.problem("must be a list of integers, got \(found)")
        }
        guard c.count != 0 else { throw decoder.problem("must not be an empty list") }
        var values: [Int] = []
        var failed = false
        while !c.isAtEnd {
            do { values.append(try c.decode(BoundedInt<B>.self).value) } catch {
                try decoder.record(error)
                failed = true
            }
        }
        if failed { throw ProblemsRecorded() }
        self.values = values
    }
}
