import RequestDecoding

/// A finite JSON number > 0 (`p`).
struct PositiveNumber: Decodable {
    let value: Double

    init(from decoder: any Decoder) throws {
        let v = try decoder.number(expecting: "a finite number")
        guard v > 0 else { throw decoder.problem("must be > 0, got \(v)") }
        value = v
    }
}

extension Decoder {
    /// The value as a number; one of another JSON type is a problem "must be `expected`, got …".
    func number(expecting expected: String) throws -> Double {
        do {
            return try singleValueContainer().decode(Double.self)
        } catch {
            guard let found = error.mismatch?.found else { throw error }
            throw problem("must be \(expected), got \(found)")
        }
    }
}
