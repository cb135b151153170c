import MicroHTTP
import PoolCore
import TensorJSON

extension PoolService {
    /// `POST /pool/backward`: the JSON document → a core request → the executor → JSON.
    func backward(_ request: Request) -> Response {
        var clock = StageClock()
        let model: BackwardRequest?, problems: ProblemList
        do { (model, problems) = try decode(BackwardRequest.self, request) } catch { return error.response }
        clock.end("parse")
        guard let model else { return ProblemResponses.problems(problems) }
        let core = PoolRequest(kind: .backward, parameters: model.parameters, decodeProblems: problems, input: model.input,
                               gradOutput: model.gradOutput, indices: model.indices, inputShape: model.inputShape)
        let encoding = model.encoding ?? model.gradOutput?.encoding ?? .nested
        // A 16-bit gradOutput is answered in its own type (rounded to nearest even).
        let wire = model.gradOutput?.dtype?.isHalfPrecision == true ? model.gradOutput?.dtype : nil
        return execute(core, request, encoding: encoding, clock: &clock) { computed, w in
            let shape = computed.job.geometry.inputShape
            w.byte(UInt8(ascii: "{"))
            RuleSummary.write(computed.job.convention?.summary, into: &w)
            w.raw("\"gradInput\":")
            switch computed.outcome {
            case .float(let r): TensorWriter.write(r.gradInput ?? [], shape: shape, encoding: encoding, as: wire, into: &w)
            case .double(let r): TensorWriter.write(r.gradInput ?? [], shape: shape, encoding: encoding, as: wire, into: &w)
            }
            w.byte(UInt8(ascii: "}"))
        }
    }
}
