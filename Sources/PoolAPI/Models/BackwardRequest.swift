import PoolCore
import TensorJSON

/// A `POST /pool/backward` request: the parameters, `gradOutput`, and the forward's `input` or
/// (max) its `indices` with `inputShape`.
///
/// Every tensor is optional in the model; which ones a request needs depends on the mode, and
/// ``RequestValidator`` says so.
public struct BackwardRequest: Codable, Equatable, Sendable {
    public var parameters: PoolParameters
    /// The answer's tensor form (default: the form of `gradOutput`).
    public var encoding: TensorEncoding?
    public var gradOutput: TensorPayload?
    public var input: TensorPayload?
    public var indices: TensorPayload?
    public var inputShape: [Int]?

    /// A request for the gradient of `gradOutput`.
    public init(parameters: PoolParameters = PoolParameters(), gradOutput: TensorPayload?, input: TensorPayload? = nil,
                indices: TensorPayload? = nil, inputShape: [Int]? = nil) {
        self.parameters = parameters
        self.gradOutput = gradOutput
        self.input = input
        self.indices = indices
        self.inputShape = inputShape
    }

    /// The wire names of the members besides the parameters.
    public enum CodingKeys: String, CodingKey, CaseIterable { case encoding, gradOutput, input, indices, inputShape }

    public init(from decoder: any Decoder) throws {
        parameters = try PoolParameters(from: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        encoding = try c.decodeIfPresent(WireChoice<TensorEncoding>.self, forKey: .encoding)?.value
        inputShape = try c.decodeIfPresent(Shape.self, forKey: .inputShape)?.dims
        gradOutput = try c.decodeIfPresent(TensorPayload.self, forKey: .gradOutput)
        input = try c.decodeIfPresent(TensorPayload.self, forKey: .input)
        indices = try c.decodeIfPresent(TensorPayload.self, forKey: .indices)
    }

    public func encode(to encoder: any Encoder) throws {
        try parameters.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(encoding, forKey: .encoding)
        try c.encodeIfPresent(gradOutput, forKey: .gradOutput)
        try c.encodeIfPresent(input, forKey: .input)
        try c.encodeIfPresent(indices, forKey: .indices)
        try c.encodeIfPresent(inputShape, forKey: .inputShape)
    }
}

/// A tensor shape: 1 to ``Shape/maxRank`` integers ≥ 1.
struct Shape: Decodable {
    /// The highest rank accepted.
    static let maxRank = 10
    let dims: [Int]

    init(from decoder: any Decoder) throws {
        let dims = try BoundedList<Positive>(from: decoder).values
        guard dims.count <= Self.maxRank else { throw decoder.problem("must have 1 to \(Self.maxRank) dimensions, got \(dims.count)") }
        self.dims = dims
    }
}
