import PoolCore
import TensorJSON

/// A `POST /pool/forward` request: the parameters, the input and what to return.
///
/// `input` is optional in the model so that a request without it still decodes and every other
/// problem is found too; ``RequestValidator`` reports it as required.
public struct ForwardRequest: Codable, Equatable, Sendable {
    public var parameters: PoolParameters
    /// The answer's tensor form (default: the form of `input`).
    public var encoding: TensorEncoding?
    public var input: TensorPayload?
    /// `return` on the wire: the parts to compute and send back.
    public var returnParts: [ReturnPart]?

    /// A request for `input` with `parameters`.
    public init(parameters: PoolParameters = PoolParameters(), input: TensorPayload?, returnParts: [ReturnPart]? = nil) {
        self.parameters = parameters
        self.input = input
        self.returnParts = returnParts
    }

    /// The wire names of the members besides the parameters.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case encoding, input
        case returnParts = "return"
    }

    public init(from decoder: any Decoder) throws {
        parameters = try PoolParameters(from: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        encoding = try c.decodeIfPresent(WireChoice<TensorEncoding>.self, forKey: .encoding)?.value
        returnParts = try c.decodeIfPresent(ReturnList.self, forKey: .returnParts)?.parts
        input = try c.decodeIfPresent(TensorPayload.self, forKey: .input)
    }

    public func encode(to encoder: any Encoder) throws {
        try parameters.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(encoding, forKey: .encoding)
        try c.encodeIfPresent(input, forKey: .input)
        try c.encodeIfPresent(returnParts, forKey: .returnParts)
    }
}

/// The `return` list: a non-empty list of distinct parts.
struct ReturnList: Decodable {
    let parts: [ReturnPart]

    init(from decoder: any Decoder) throws {
        let usage = "must be a non-empty list of \(WireChoice<ReturnPart>.names)"
        guard var c = try? decoder.unkeyedContainer(), c.count != 0 else { throw decoder.problem(usage) }
        var parts: [ReturnPart] = []
        var failed = false
        while !c.isAtEnd {
            let position = c.currentIndex
            do {
                let part = try c.decode(WireChoice<ReturnPart>.self).value
                if parts.contains(part) {
                    try decoder.record(DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath + [Index(position)],
                                                                         debugDescription: "\"\(part.rawValue)\" is listed twice")))
                    failed = true
                } else {
                    parts.append(part)
                }
            } catch {
                try decoder.record(error)
                failed = true
            }
        }
        if failed { throw ProblemsRecorded() }
        self.parts = parts
    }

    /// A coding key for element `intValue` of a list.
    struct Index: CodingKey {
        let intValue: Int?
        var stringValue: String { String(intValue ?? 0) }
        init(_ i: Int) { intValue = i }
        init?(stringValue: String) { nil }
        init?(intValue: Int) { self.intValue = intValue }
    }
}
