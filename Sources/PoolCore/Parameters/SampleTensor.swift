import RequestDecoding

/// `fractional.samples`: a tensor in whatever form the wire gives it. A ``TensorDecoder`` reads
/// it in its own forms (the native API's nested, flat and base64 tensors); any other decoder
/// reads `{"shape": [...], "data": [...]}`.
public struct SampleTensor: Codable, Sendable, Equatable {
    /// The tensor, unread.
    public let source: any TensorSource

    public init(_ source: any TensorSource) { self.source = source }

    private enum Keys: String, CodingKey { case shape, data }

    public init(from decoder: any Decoder) throws {
        if let d = decoder as? any TensorDecoder {
            source = try d.decodeTensor()
            return
        }
        let c = try decoder.container(keyedBy: Keys.self)
        source = TensorValues(shape: try c.decode([Int].self, forKey: .shape), values: try c.decode([Double].self, forKey: .data))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        var problems = ProblemList()
        try c.encode(source.shape, forKey: .shape)
        try c.encode(source.read(Double.self, problems: &problems) ?? [], forKey: .data)
    }

    /// Equal shapes and values (NaN equal to NaN).
    public static func == (a: SampleTensor, b: SampleTensor) -> Bool {
        var problems = ProblemList()
        return TensorValues(shape: a.source.shape, values: a.source.read(Double.self, problems: &problems) ?? [])
            == TensorValues(shape: b.source.shape, values: b.source.read(Double.self, problems: &problems) ?? [])
    }
}
