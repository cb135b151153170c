/// A number on the wire: a JSON number, or "NaN", "Infinity", "-Infinity".
public struct WireNumber: Codable, Equatable, Sendable {
    /// The value.
    public var value: Double

    /// The wire number of `value`.
    public init(_ value: Double) { self.value = value }

    /// Equal values, NaN equal to NaN.
    public static func == (a: WireNumber, b: WireNumber) -> Bool {
        a.value == b.value || (a.value.isNaN && b.value.isNaN)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let s = try? c.decode(String.self) {
            guard let v = Double.special(s) else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "must be a number or \"NaN\", \"Infinity\", \"-Infinity\", got \(Echo.quoted(s))")
            }
            value = v
        } else {
            value = try c.decode(Double.self)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        if value.isNaN { try c.encode("NaN") } else if value.isInfinite { try c.encode(value < 0 ? "-Infinity" : "Infinity") } else {
            try c.encode(value)
        }
    }
}
