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
        let run = executor.run(plan.core, clock: &clock, cancellation: .following(request.cancellation.onCancel)) { job, estimate in
            request.reserve(toTotal: estimate.bytes(valueBytes: binary ? (plan.wireType.byteSize ?? 8) : 25, indexBytes: binary ? 8 : 21))
        }
        switch run {
        case .failure(.problems(let problems)): throw InferencePlan.error(problems, layer: plan.layer)
        case .failure(.overBudget):
            var refusal = Self.error(ProblemDetails.overBudget(request.vocabulary))
            refusal.shed = .memory
            return refusal.stamped(clock.stages)
        case .failure(.cancelled):
            return Self.error(ProblemDetails.stopped(request.vocabulary)).stamped(clock.stages)
        case .success(let computed):
            let outputs: [OutputTensor]
            switch computed.outcome {
            case .float(let r): outputs = try Self.outputs(r, computed.job, plan)
            case .double(let r): outputs = try Self.outputs(r, computed.job, plan)
            }
            let response = InferenceResponse(model: layer.name, id: parsed.id, outputs: outputs).response
            clock.end("encode")
            return response.stamped(clock.stages)
        }
    }

    /// A problem the server words itself, as the protocol's `{"error"}` with the same status and headers.
    private static func error(_ problem: ProblemDetails) -> Response {
        InferenceError.response(status: problem.status, message: problem.detail, headers: problem.headers)
    }

    /// The outputs to send, from what the core computed.
    private static func outputs<T: InferenceScalar>(_ r: PoolResult<T>, _ job: PoolJob, _ plan: InferencePlan) throws(InferenceError) -> [OutputTensor] {
        let g = job.geometry
        return try plan.outputs(drewSamples: r.samples != nil).compactMap { name, binary -> OutputTensor? in
            let values: OutputTensor.Values?
            var shape = g.inputShape
            var datatype = plan.wireType
            switch name {
            case .output: values = r.output.map(T.wrap); shape = g.outputShape
            case .indices: values = r.indices.map(OutputTensor.Values.int64); shape = g.outputShape; datatype = .int64
            case .mask: values = r.mask.map(T.wrap)
            case .gradInput: values = r.gradInput.map(T.wrap)
            case .samples:
                values = r.samples.map(T.wrap)
                shape = [g.batch, g.channels, g.inputSpatial.count]
                datatype = T.self == Double.self ? .fp64 : .fp32
            }
            guard let values else { return nil }
            return OutputTensor(name: name.rawValue, datatype: datatype, shape: shape, binary: binary, values: values)
        }
    }
}
