import Pooling

/// The pooling function.
public enum PoolMode: String, Codable, Sendable, CaseIterable {
    case max, avg, lp
}

/// What a forward call computes and returns.
public enum ReturnPart: String, Codable, Sendable, CaseIterable {
    case output, indices, mask
}

/// A padding name of the contract.
public enum PaddingName: String, Codable, Sendable, CaseIterable {
    case valid, same
    case sameLower = "same_lower"
}

/// The computation's floating-point type.
public enum ComputeType: String, Codable, Sendable, CaseIterable {
    case float32, float64
}

extension Layout: Codable {}
extension TieRule: Codable {}
extension NaNPolicy: Codable {}
extension IndexSpace: Codable {}

/// An int that means "the same for every spatial dim", or one int per spatial dim.
public enum IntOrList: Codable, Equatable, Sendable {
    case int(Int)
    case list([Int])

    /// The per-dimension values for `d` spatial dims.
    public func expanded(to d: Int) -> [Int] {
        switch self {
        case .int(let v): return Array(repeating: v, count: d)
        case .list(let l): return l
        }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let v = try? c.decode(Int.self) { self = .int(v) } else { self = .list(try c.decode([Int].self)) }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .int(let v): try c.encode(v)
        case .list(let l): try c.encode(l)
        }
    }
}

/// Every padding form of the contract.
public enum PaddingValue: Codable, Equatable, Sendable {
    /// Symmetric, the same for every dim (PyTorch).
    case int(Int)
    /// Symmetric, per dim (PyTorch).
    case list([Int])
    /// Asymmetric, per dim (ONNX `pads`).
    case explicit(begin: [Int], end: [Int])
    /// `valid`, `same` or `same_lower`.
    case named(PaddingName)

    private enum Keys: String, CodingKey { case begin, end }

    public init(from decoder: Decoder) throws {
        if let c = try? decoder.container(keyedBy: Keys.self) {
            self = .explicit(begin: try c.decode([Int].self, forKey: .begin), end: try c.decode([Int].self, forKey: .end))
            return
        }
        let c = try decoder.singleValueContainer()
        if let v = try? c.decode(Int.self) { self = .int(v) } else if let n = try? c.decode(PaddingName.self) { self = .named(n) } else {
            self = .list(try c.decode([Int].self))
        }
    }

    public func encode(to encoder: Encoder) throws {
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

/// The pooling parameters shared by both endpoints, as the client wrote them (nil = not given).
/// ``RequestReader`` fills them from a request, recording every type error;
/// ``RequestValidator`` checks that they fit together.
public struct PoolParameters: Codable, Equatable, Sendable {
    public var mode: PoolMode?
    public var layout: Layout?
    public var kernelSize: IntOrList?
    public var stride: IntOrList?
    public var padding: PaddingValue?
    public var dilation: IntOrList?
    public var ceilMode: Bool?
    public var countIncludePad: Bool?
    public var divisorOverride: Int?
    public var p: Double?
    public var outputSize: IntOrList?
    public var global: Bool?
    public var ties: TieRule?
    public var nan: NaNPolicy?
    public var dtype: ComputeType?
    public var indexSpace: IndexSpace?
    /// `return` on the wire (forward only).
    public var returnParts: [ReturnPart]?
    public var encoding: TensorEncoding?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case mode, layout, kernelSize, stride, padding, dilation, ceilMode, countIncludePad, divisorOverride, p
        case outputSize, global, ties, nan, dtype, indexSpace, encoding
        case returnParts = "return"
    }
}
