import TensorJSON

/// The body of a 200 from `POST /pool/forward`.
public struct ForwardResponse: Codable, Equatable, Sendable {
    public var output: TensorPayload?
    public var indices: TensorPayload?
    public var mask: TensorPayload?
    public var outputShape: [Int]
    /// The resolved rules, when the request named a convention.
    public var rules: [String: RuleValue]?
}

/// One resolved rule of an answer's `rules`: a name or a number.
public enum RuleValue: Codable, Equatable, Sendable {
    case name(String)
    case number(Int)

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let n = try? c.decode(Int.self) { self = .number(n) } else { self = .name(try c.decode(String.self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .name(let s): try c.encode(s)
        case .number(let n): try c.encode(n)
        }
    }
}
