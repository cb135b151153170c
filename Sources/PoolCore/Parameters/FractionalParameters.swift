import RequestDecoding

/// `fractional`: fractional max pooling's windows (contract "Fractional max pooling"), either
/// PyTorch's — `outputSize` or `outputRatio` with the top-level `kernelSize` and per-plane
/// `samples` (or a `seed` the service draws them from) — or TensorFlow's `boundaries`.
public struct FractionalParameters: Codable, Equatable, Sendable {
    public var outputSize: IntOrList?
    public var outputRatio: RatioOrList?
    /// [N, C, d] samples in [0, 1), in spatial order.
    public var samples: SampleTensor?
    public var seed: Int64?
    /// One pooling sequence per spatial dim.
    public var boundaries: [[Int]]?
    public var overlapping: Bool?

    /// No field given.
    public init(outputSize: IntOrList? = nil, outputRatio: RatioOrList? = nil, samples: SampleTensor? = nil, seed: Int64? = nil,
                boundaries: [[Int]]? = nil, overlapping: Bool? = nil) {
        self.outputSize = outputSize
        self.outputRatio = outputRatio
        self.samples = samples
        self.seed = seed
        self.boundaries = boundaries
        self.overlapping = overlapping
    }

    /// The wire names.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case outputSize, outputRatio, samples, seed, boundaries, overlapping
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        outputSize = try c.decodeIfPresent(IntOrList.self, forKey: .outputSize)
        outputRatio = try c.decodeIfPresent(RatioOrList.self, forKey: .outputRatio)
        samples = try c.decodeIfPresent(SampleTensor.self, forKey: .samples)
        seed = try c.decodeIfPresent(Seed.self, forKey: .seed)?.value
        boundaries = try c.decodeIfPresent(BoundaryLists.self, forKey: .boundaries)?.lists
        overlapping = try c.decodeIfPresent(Bool.self, forKey: .overlapping)
    }

    /// The fields that decoded to a value, by wire name.
    var given: Set<String> {
        var s: Set<String> = []
        if outputSize != nil { s.insert("outputSize") }
        if outputRatio != nil { s.insert("outputRatio") }
        if samples != nil { s.insert("samples") }
        if seed != nil { s.insert("seed") }
        if boundaries != nil { s.insert("boundaries") }
        if overlapping != nil { s.insert("overlapping") }
        return s
    }
}

/// A number in (0, 1) for every spatial dim, or one per dim (`fractional.outputRatio`).
public enum RatioOrList: Codable, Equatable, Sendable {
    case number(Double)
    case list([Double])

    /// The per-dimension values for `d` spatial dims.
    public func expanded(to d: Int) -> [Double] {
        switch self {
        case .number(let v): return Array(repeating: v, count: max(d, 0))
        case .list(let l): return l
        }
    }

    public init(from decoder: any Decoder) throws {
        if var c = try? decoder.unkeyedContainer() {
            guard c.count != 0 else { throw decoder.problem("must not be an empty list") }
            var values: [Double] = []
            while !c.isAtEnd { values.append(try c.decode(Ratio.self).value) }
            self = .list(values)
        } else {
            self = .number(try Ratio(from: decoder).value)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .number(let v): try c.encode(v)
        case .list(let l): try c.encode(l)
        }
    }
}

/// A JSON number strictly between 0 and 1.
struct Ratio: Decodable {
    let value: Double

    init(from decoder: any Decoder) throws {
        let v = try decoder.number(expecting: "a number in (0, 1)")
        guard v > 0 && v < 1 else { throw decoder.problem("must be a number in (0, 1), got \(v)") }
        value = v
    }
}

/// Any JSON integer that fits 64 bits (`fractional.seed`).
struct Seed: Decodable {
    let value: Int64

    init(from decoder: any Decoder) throws {
        do {
            value = try decoder.singleValueContainer().decode(Int64.self)
        } catch {
            guard let mismatch = error.mismatch else { throw error }
            throw decoder.problem("must be an integer from \(Int64.min) to \(Int64.max), got \(mismatch.found)")
        }
    }
}

/// A non-empty list of non-empty lists of integers ≥ 0 (`fractional.boundaries`).
struct BoundaryLists: Decodable {
    let lists: [[Int]]

    init(from decoder: any Decoder) throws {
        var c: any UnkeyedDecodingContainer
        do {
            c = try decoder.unkeyedContainer()
        } catch {
            guard let found = error.mismatch?.found else { throw error }
            throw decoder.problem("must be a list of integer lists (one per spatial dimension), got \(found)")
        }
        guard c.count != 0 else { throw decoder.problem("must not be an empty list") }
        var lists: [[Int]] = []
        var failed = false
        while !c.isAtEnd {
            do { lists.append(try c.decode(BoundedList<NonNegative>.self).values) } catch {
                try decoder.record(error)
                failed = true
            }
        }
        if failed { throw ProblemsRecorded() }
        self.lists = lists
    }
}
