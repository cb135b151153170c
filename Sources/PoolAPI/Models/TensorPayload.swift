/// A tensor as a Swift client writes or reads it (Codable). The server itself reads tensors
/// with ``TensorReader`` and writes them with ``TensorWriter``, which are faster; this model is
/// for clients and tests.
public enum TensorPayload: Codable, Equatable, Sendable {
    case nested(NestedArray)
    case flat(shape: [Int], data: [WireNumber])
    case b64(shape: [Int], dtype: ElementType, b64: String)

    private enum Keys: String, CodingKey { case shape, data, dtype, b64 }

    /// A flat tensor of `values`.
    public static func flat(_ values: [Double], shape: [Int]) -> TensorPayload {
        .flat(shape: shape, data: values.map(WireNumber.init))
    }

    /// A nested tensor of `values` with `shape`.
    public static func nested(_ values: [Double], shape: [Int]) -> TensorPayload {
        func build(_ dims: ArraySlice<Int>, _ offset: inout Int) -> NestedArray {
            guard let n = dims.first else {
                defer { offset += 1 }
                return .number(WireNumber(values[offset]))
            }
            return .array((0..<n).map { _ in build(dims.dropFirst(), &offset) })
        }
        var offset = 0
        return .nested(build(shape[...], &offset))
    }

    /// The shape.
    public var shape: [Int] {
        switch self {
        case .nested(let a): return a.shape
        case .flat(let shape, _), .b64(let shape, _, _): return shape
        }
    }

    /// The values in row-major order, as `Double` (b64 int64 and float32 included).
    public var values: [Double] {
        switch self {
        case .nested(let a): return a.flattened
        case .flat(_, let data): return data.map(\.value)
        case .b64(_, let dtype, let text):
            guard let raw = Base64.decode(Array(text.utf8)) else { return [] }
            return raw.withUnsafeBytes { r in
                (0..<(raw.count / dtype.size)).map { k -> Double in
                    switch dtype {
                    case .float32: return Double(Float(bitPattern: UInt32(littleEndian: r.loadUnaligned(fromByteOffset: 4 * k, as: UInt32.self))))
                    case .float64: return Double(bitPattern: UInt64(littleEndian: r.loadUnaligned(fromByteOffset: 8 * k, as: UInt64.self)))
                    case .int64: return Double(Int64(littleEndian: r.loadUnaligned(fromByteOffset: 8 * k, as: Int64.self)))
                    }
                }
            }
        }
    }

    public init(from decoder: Decoder) throws {
        if let c = try? decoder.container(keyedBy: Keys.self) {
            let shape = try c.decode([Int].self, forKey: .shape)
            if let b64 = try c.decodeIfPresent(String.self, forKey: .b64) {
                self = .b64(shape: shape, dtype: try c.decode(ElementType.self, forKey: .dtype), b64: b64)
            } else {
                self = .flat(shape: shape, data: try c.decode([WireNumber].self, forKey: .data))
            }
            return
        }
        self = .nested(try NestedArray(from: decoder))
    }

    public func encode(to encoder: Encoder) throws {
        switch self {
        case .nested(let a): try a.encode(to: encoder)
        case .flat(let shape, let data):
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(shape, forKey: .shape)
            try c.encode(data, forKey: .data)
        case .b64(let shape, let dtype, let text):
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(shape, forKey: .shape)
            try c.encode(dtype, forKey: .dtype)
            try c.encode(text, forKey: .b64)
        }
    }
}

/// Nested arrays of numbers.
public indirect enum NestedArray: Codable, Equatable, Sendable {
    case number(WireNumber)
    case array([NestedArray])

    var shape: [Int] {
        guard case .array(let items) = self else { return [] }
        return [items.count] + (items.first?.shape ?? [])
    }

    var flattened: [Double] {
        switch self {
        case .number(let n): return [n.value]
        case .array(let items): return items.flatMap(\.flattened)
        }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let n = try? c.decode(WireNumber.self) { self = .number(n) } else { self = .array(try c.decode([NestedArray].self)) }
    }

    public func encode(to encoder: Encoder) throws {
        switch self {
        case .number(let n): try n.encode(to: encoder)
        case .array(let items): var c = encoder.singleValueContainer(); try c.encode(items)
        }
    }
}

/// A number on the wire: a JSON number, or "NaN", "Infinity", "-Infinity".
public struct WireNumber: Codable, Equatable, Sendable {
    public var value: Double

    public init(_ value: Double) { self.value = value }

    public static func == (a: WireNumber, b: WireNumber) -> Bool {
        a.value == b.value || (a.value.isNaN && b.value.isNaN)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let s = try? c.decode(String.self) {
            switch s {
            case "NaN": value = .nan
            case "Infinity": value = .infinity
            case "-Infinity": value = -.infinity
            default: throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a number: \(s)")
            }
        } else {
            value = try c.decode(Double.self)
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        if value.isNaN { try c.encode("NaN") } else if value.isInfinite { try c.encode(value < 0 ? "-Infinity" : "Infinity") } else {
            try c.encode(value)
        }
    }
}
