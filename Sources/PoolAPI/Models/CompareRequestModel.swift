import PoolCore
import RequestDecoding
import TensorJSON

/// A `POST /pool/compare` request: a forward request's parameters and input (no `convention`),
/// the conventions to compare (default all) and optionally `gradOutput` for the backward.
public struct CompareRequestModel: Decodable, Sendable {
    public var parameters: PoolParameters
    public var encoding: TensorEncoding?
    public var input: TensorPayload?
    public var gradOutput: TensorPayload?
    public var conventions: [Convention]?

    public enum CodingKeys: String, CodingKey, CaseIterable { case encoding, input, gradOutput, conventions }

    public init(from decoder: any Decoder) throws {
        parameters = try PoolParameters(from: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        encoding = try c.decodeIfPresent(WireChoice<TensorEncoding>.self, forKey: .encoding)?.value
        conventions = try c.decodeIfPresent(ConventionList.self, forKey: .conventions)?.values
        input = try c.decodeIfPresent(TensorPayload.self, forKey: .input)
        gradOutput = try c.decodeIfPresent(TensorPayload.self, forKey: .gradOutput)
    }
}

/// `conventions`: a non-empty list of distinct convention names.
struct ConventionList: Decodable {
    let values: [Convention]

    init(from decoder: any Decoder) throws {
        let usage = "must be a non-empty list of distinct names among \(WireChoice<Convention>.names)"
        guard var c = try? decoder.unkeyedContainer(), c.count != 0 else { throw decoder.problem(usage) }
        var values: [Convention] = []
        while !c.isAtEnd {
            let v = try c.decode(WireChoice<Convention>.self).value
            guard !values.contains(v) else { throw decoder.problem("\(usage): \"\(v.rawValue)\" is listed twice") }
            values.append(v)
        }
        self.values = values
    }
}
