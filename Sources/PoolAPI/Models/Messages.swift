/// A `POST /pool/forward` request as a Swift client writes it.
public struct ForwardRequest: Codable, Equatable, Sendable {
    public var parameters: PoolParameters
    public var input: TensorPayload

    public init(parameters: PoolParameters = PoolParameters(), input: TensorPayload) {
        self.parameters = parameters
        self.input = input
    }

    private enum Keys: String, CodingKey { case input }

    public init(from decoder: Decoder) throws {
        parameters = try PoolParameters(from: decoder)
        input = try decoder.container(keyedBy: Keys.self).decode(TensorPayload.self, forKey: .input)
    }

    public func encode(to encoder: Encoder) throws {
        try parameters.encode(to: encoder)
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(input, forKey: .input)
    }
}

/// A `POST /pool/backward` request as a Swift client writes it.
public struct BackwardRequest: Codable, Equatable, Sendable {
    public var parameters: PoolParameters
    public var gradOutput: TensorPayload
    public var input: TensorPayload?
    public var indices: TensorPayload?
    public var inputShape: [Int]?

    public init(parameters: PoolParameters = PoolParameters(), gradOutput: TensorPayload, input: TensorPayload? = nil,
                indices: TensorPayload? = nil, inputShape: [Int]? = nil) {
        self.parameters = parameters
        self.gradOutput = gradOutput
        self.input = input
        self.indices = indices
        self.inputShape = inputShape
    }

    private enum Keys: String, CodingKey { case gradOutput, input, indices, inputShape }

    public init(from decoder: Decoder) throws {
        parameters = try PoolParameters(from: decoder)
        let c = try decoder.container(keyedBy: Keys.self)
        gradOutput = try c.decode(TensorPayload.self, forKey: .gradOutput)
        input = try c.decodeIfPresent(TensorPayload.self, forKey: .input)
        indices = try c.decodeIfPresent(TensorPayload.self, forKey: .indices)
        inputShape = try c.decodeIfPresent([Int].self, forKey: .inputShape)
    }

    public func encode(to encoder: Encoder) throws {
        try parameters.encode(to: encoder)
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(gradOutput, forKey: .gradOutput)
        try c.encodeIfPresent(input, forKey: .input)
        try c.encodeIfPresent(indices, forKey: .indices)
        try c.encodeIfPresent(inputShape, forKey: .inputShape)
    }
}

/// The body of a 200 from `POST /pool/forward`.
public struct ForwardResponse: Codable, Equatable, Sendable {
    public var output: TensorPayload?
    public var indices: TensorPayload?
    public var mask: TensorPayload?
    public var outputShape: [Int]
}

/// The body of a 200 from `POST /pool/backward`.
public struct BackwardResponse: Codable, Equatable, Sendable {
    public var gradInput: TensorPayload
}

/// An RFC 9457 problem document as the service writes it.
public struct ProblemDocument: Codable, Equatable, Sendable {
    public var type: String
    public var title: String
    public var status: Int
    public var detail: String
    /// For 400: the byte offset where the JSON broke.
    public var offset: Int?
    /// For 413 and 422: every problem, each with its JSON pointer.
    public var errors: [Problem]?
}
