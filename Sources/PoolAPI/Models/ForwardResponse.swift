import TensorJSON

/// The body of a 200 from `POST /pool/forward`.
public struct ForwardResponse: Codable, Equatable, Sendable {
    public var output: TensorPayload?
    public var indices: TensorPayload?
    public var mask: TensorPayload?
    public var outputShape: [Int]
}
