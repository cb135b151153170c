import InferenceProtocol
import MicroHTTP
import PoolCore
import TensorJSON
import Pooling

extension InferenceService {
    /// `POST /v2/models/{name}/infer`: the protocol's request → a core request → the executor →
    /// the protocol's response; every answer carries the stages.
    func infer(_ request: Request, layer: LayerModel) throws(InferenceError) -> Response {
        switch request.mediaType {
        case nil, "application/json", "application/octet-stream": break
        case let other?:
            throw InferenceError(status: 415, "Content-Type must be application/json or application/octet-stream (or none), got \(quoted(other))")
        }
        var clock = StageClock()
        let parsed = try InferenceRequest.parse(request.body, headerLength: request.header("inference-header-content-length"))
        let plan = try InferencePlan(parsed, layer: layer, body: request.body, limits: limits)
        clock.end("parse")
        let binary = plan.asked.map { $0.allSatisfy(\.binary) } ?? parsed.binaryOutput
        let run = plan.run(on: executor, clock: &clock, cancellation: .following(request.cancellation.onCancel)) { job, estimate in
            request.reserve(toTotal: estimate.bytes(valueBytes: binary ? (plan.wireType.byteSize ?? 8) : 25, indexBytes: binary ? 8 : 21))
        }
        switch run {
        case .failure(.error(let error)): throw error
        case .failure(.overBudget):
            var refusal = Self.error(ProblemDetails.overBudget(request.vocabulary))
            refusal.shed = .memory
            return refusal.stamped(clock.stages)
        case .failure(.cancelled):
            return Self.error(ProblemDetails.stopped(request.vocabulary)).stamped(clock.stages)
        case .success(let (computed, outputs)):
            let response = InferenceResponse(model: layer.name, id: parsed.id, outputs: outputs,
                                             rules: computed.job.convention?.summary.jsonText).response
            clock.end("encode")
            return response.stamped(clock.stages)
        }
    }

    /// A problem the server words itself, as the protocol's `{"error"}` with the same status and headers.
    private static func error(_ problem: ProblemDetails) -> Response {
        InferenceError.response(status: problem.status, message: problem.detail, headers: problem.headers)
    }
}
