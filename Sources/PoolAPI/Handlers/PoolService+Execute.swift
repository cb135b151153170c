import MicroHTTP
import Pooling
import PoolCore
import TensorJSON

extension PoolService {
    /// Runs `core` on the executor with the request's memory budget and cancellation, and
    /// answers with what `write` makes of the computed call (stage `encode`), or the failure's
    /// problem document; every answer carries the stages.
    func execute(_ core: PoolRequest, _ request: Request, encoding: TensorEncoding, clock: inout StageClock,
                 write: (PoolExecutor.Computed, inout JSONWriter) -> Void) -> Response {
        let cancellation = Cancellation.following(request.cancellation.onCancel)
        let run = executor.run(core, clock: &clock, cancellation: cancellation) { job, estimate in
            let (value, index) = Self.answerBytes(job.dtype, encoding)
            return request.reserve(toTotal: estimate.bytes(valueBytes: value, indexBytes: index))
        }
        switch run {
        case .failure(let failure):
            return Self.response(failure, request.vocabulary).stamped(clock.stages)
        case .success(let computed):
            let (value, index) = Self.answerBytes(computed.job.dtype, encoding)
            var w = JSONWriter(capacity: computed.estimate.answerBytes(valueBytes: value, indexBytes: index))
            write(computed, &w)
            clock.end("encode")
            return Response(status: 200, contentType: "application/json", body: w.bytes).stamped(clock.stages)
        }
    }

    /// The answer to a call the executor did not compute.
    static func response(_ failure: PoolFailure, _ words: ServerVocabulary) -> Response {
        switch failure {
        case .problems(let list): return ProblemResponses.problems(list)
        case .overBudget:
            var refusal = ProblemDetails.overBudget(words).response
            refusal.shed = .memory
            return refusal
        case .cancelled: return ProblemDetails.stopped(words).response
        }
    }

    /// Bytes per value and per index once written in `encoding`: base64 is 4 characters per 3
    /// bytes; text an upper bound per number (shortest float32 digits with sign, exponent and
    /// comma fit 16, float64 25, int64 21).
    static func answerBytes(_ dtype: ComputeType, _ encoding: TensorEncoding) -> (value: Int, index: Int) {
        let size = dtype == .float64 ? 8 : 4
        switch encoding {
        case .b64: return ((size * 4 + 2) / 3, (8 * 4 + 2) / 3)
        case .flat, .nested: return (dtype == .float64 ? 25 : 16, 21)
        }
    }
}
