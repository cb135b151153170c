import RequestDecoding

/// A finite JSON number > 0 (`p`).
struct PositiveNumber: Decodable {
    let value: Double

    init(from decoder: any Decoder) throws {
        let v: Double
        do {
            v = try decoder.singleValueContainer().decode(Double.self)
        } catch {
            guard let found = error.mismatch?.found else { throw error }
            throw decoder.problem("must be a finite number, got \(found)")
        }
        guard v > 0 else { throw decoder.problem("must be > 0, got \(v)") }
        value = v
    }
}
