import MicroHTTP
import Pooling
import TensorJSON

extension PoolService {
    /// `POST /pool/backward`: read → validate → compute → write.
    func backward(_ request: Request) -> Response {
        var clock = StageClock()
        let decoded = decode(BackwardRequest.self, request)
        clock.end("parse")
        switch decoded {
        case .failure(let e): return e.response
        case .success(let (model, decodeProblems)):
            var problems = decodeProblems
            guard let model else { return ProblemResponses.problems(problems) }
            let job = RequestValidator.backward(model, limits: limits, problems: &problems)
            clock.end("validate")
            if let job, problems.isEmpty, let refusal = Self.reserveMemory(request, job, model) { return clock.stamp(refusal) }
            let cancellation = request.kernelCancellation()
            let response: Response
            switch model.parameters.dtype ?? .float32 {
            case .float32: response = backward(Float.self, model, job, problems, &clock, cancellation)
            case .float64: response = backward(Double.self, model, job, problems, &clock, cancellation)
            }
            return clock.stamp(response)
        }
    }

    /// The memory the job's tensors and answer will hold, reserved (see ``reserveMemory(_:tensors:answer:)``).
    private static func reserveMemory(_ request: Request, _ job: PoolJob, _ model: BackwardRequest) -> Response? {
        let g = job.geometry, t = job.dtype
        let encoding = job.encoding ?? model.gradOutput?.encoding ?? .nested
        let tensors = tensorBytes(g.outputCount + g.inputCount * (model.input == nil ? 1 : 2), t) + (model.indices == nil ? 0 : 8 * g.outputCount)
        return reserveMemory(request, tensors: tensors, answer: answerBytes(g.inputCount, t, encoding))
    }

    private func backward<T: PoolScalar & TensorElement & FloatWireElement>(_: T.Type, _ model: BackwardRequest, _ job: PoolJob?,
                                                                     _ problems: ProblemList, _ clock: inout StageClock,
                                                                     _ cancellation: Cancellation) -> Response {
        var problems = problems
        let readable = !problems.tooLarge
        let gradOutput = readable ? model.gradOutput?.read(T.self, problems: &problems) : nil
        let input = readable ? model.input?.read(T.self, problems: &problems) : nil
        // Indices matter only for max; validation refused them for the other modes.
        let indices = readable && (model.parameters.mode ?? .max) == .max ? model.indices?.read(Int64.self, problems: &problems) : nil
        clock.end("parse")
        guard problems.isEmpty, let job, let gradOutput, let encoding = job.encoding ?? model.gradOutput?.encoding else {
            return ProblemResponses.problems(problems)
        }
        let g = job.geometry
        let gradInput: [T]
        switch (job.function, input, indices) {
        case (.max(let options), let input?, _):
            gradInput = Pool.maxBackward(gradOutput: gradOutput, input: input, geometry: g, options: options,
                                         cancellation: cancellation)
        case (.max(let options), nil, var indices?):
            if job.indexOrder == .columnMajor { g.reorder(&indices, space: options.indexSpace, toColumnMajor: false) }
            do {
                gradInput = try Pool.maxBackward(gradOutput: gradOutput, indices: indices, geometry: g, indexSpace: options.indexSpace,
                                                 cancellation: cancellation)
            } catch {
                problems.add(Self.elementPointer(.root / "indices", model.indices!, error.position), error.message)
                return ProblemResponses.problems(problems)
            }
        case (.avg(let options), _, _):
            gradInput = Pool.avgBackward(gradOutput: gradOutput, geometry: g, options: options, cancellation: cancellation)
        case (.lp(let p), let input?, _):
            gradInput = Pool.lpBackward(gradOutput: gradOutput, input: input, geometry: g, p: p, absolute: job.lpAbsolute,
                                         cancellation: cancellation)
        default:
            // Validation requires input (lp) or input or indices (max); nothing else reaches here.
            problems.add(.root / "input", "is required")
            return ProblemResponses.problems(problems)
        }
        clock.end("pool")
        // Stopped at the drain deadline: the server has answered 503 already; this is discarded.
        if cancellation.isCancelled { return ProblemDetails.stopped(retryAfter: 1).response }
        Self.countElements("backward", g.outputCount + g.inputCount * (input == nil ? 1 : 2))
        var w = JSONWriter(capacity: 32 + 12 * g.inputCount)
        w.raw("{\"gradInput\":")
        // A 16-bit gradOutput is answered in its own type (rounded to nearest even).
        let wire = model.gradOutput?.dtype?.isHalfPrecision == true ? model.gradOutput?.dtype : nil
        TensorWriter.write(gradInput, shape: g.inputShape, encoding: encoding, as: wire, into: &w)
        w.byte(UInt8(ascii: "}"))
        clock.end("encode")
        return Response(status: 200, contentType: "application/json", body: w.bytes)
    }

    /// The pointer to element `position` (row-major) of a tensor in its wire form.
    static func elementPointer(_ base: JSONPointer, _ tensor: TensorPayload, _ position: Int) -> JSONPointer {
        switch tensor.encoding {
        case .flat: return base / "data" / position
        case .b64: return base / "b64"
        case .nested:
            var rest = position
            var index = [Int](repeating: 0, count: tensor.shape.count)
            for a in stride(from: tensor.shape.count - 1, through: 0, by: -1) {
                index[a] = rest % tensor.shape[a]
                rest /= tensor.shape[a]
            }
            return index.reduce(base) { $0 / $1 }
        }
    }
}
