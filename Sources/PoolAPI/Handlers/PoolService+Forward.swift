import MicroHTTP
import Pooling
import TensorJSON

extension PoolService {
    /// `POST /pool/forward`: read → validate → compute → write.
    func forward(_ request: Request) -> Response {
        var clock = StageClock()
        let decoded = decode(ForwardRequest.self, request)
        clock.end("parse")
        switch decoded {
        case .failure(let e): return e.response
        case .success(let (model, decodeProblems)):
            var problems = decodeProblems
            guard let model else { return ProblemResponses.problems(problems) }
            let job = RequestValidator.forward(model, limits: limits, problems: &problems)
            clock.end("validate")
            if let job, problems.isEmpty, let refusal = Self.reserveMemory(request, job, model) { return clock.stamp(refusal) }
            let cancellation = request.kernelCancellation()
            let response: Response
            switch model.parameters.dtype ?? .float32 {
            case .float32: response = forward(Float.self, model, job, problems, &clock, cancellation)
            case .float64: response = forward(Double.self, model, job, problems, &clock, cancellation)
            }
            return clock.stamp(response)
        }
    }

    /// The memory the job's tensors and answer will hold, reserved (see ``reserveMemory(_:tensors:answer:)``).
    private static func reserveMemory(_ request: Request, _ job: PoolJob, _ model: ForwardRequest) -> Response? {
        let g = job.geometry, t = job.dtype
        let encoding = job.encoding ?? model.input?.encoding ?? .nested
        let indices = job.returns.contains(.indices), mask = job.returns.contains(.mask)
        let tensors = tensorBytes(g.inputCount + g.outputCount + (mask ? g.inputCount : 0), t) + (indices ? 8 * g.outputCount : 0)
        let answer = answerBytes(g.outputCount, t, encoding) + (indices ? answerBytes(g.outputCount, t, indices: true, encoding) : 0)
            + (mask ? answerBytes(g.inputCount, t, encoding) : 0)
        return reserveMemory(request, tensors: tensors, answer: answer)
    }

    private func forward<T: PoolScalar & TensorElement & FloatWireElement>(_: T.Type, _ model: ForwardRequest, _ job: PoolJob?,
                                                                    _ problems: ProblemList, _ clock: inout StageClock,
                                                                    _ cancellation: Cancellation) -> Response {
        var problems = problems
        // Elements are read even when validation failed, so that their problems are listed
        // too — but not past a size limit.
        let values = problems.tooLarge ? nil : model.input?.read(T.self, problems: &problems)
        clock.end("parse")
        guard problems.isEmpty, let job, let input = model.input, let values else { return ProblemResponses.problems(problems) }

        let g = job.geometry
        var output: [T] = []
        var indices: [Int64]?
        var mask: [T]?
        switch job.function {
        case .max(let options):
            let r = Pool.maxForward(values, geometry: g, options: options,
                                    indices: job.returns.contains(.indices), mask: job.returns.contains(.mask),
                                    cancellation: cancellation)
            (output, indices, mask) = (r.output, r.indices, r.mask)
            if job.indexOrder == .columnMajor, indices != nil { g.reorder(&indices!, space: options.indexSpace, toColumnMajor: true) }
        case .avg(let options): output = Pool.avgForward(values, geometry: g, options: options, cancellation: cancellation)
        case .lp(let p): output = Pool.lpForward(values, geometry: g, p: p, absolute: job.lpAbsolute, cancellation: cancellation)
        }
        clock.end("pool")
        // Stopped at the drain deadline: the server has answered 503 already; this is discarded.
        if cancellation.isCancelled { return ProblemDetails.stopped(retryAfter: 1).response }
        Self.countElements("forward", g.inputCount + g.outputCount * (1 + (indices == nil ? 0 : 1)) + (mask == nil ? 0 : g.inputCount))
        let encoding = job.encoding ?? input.encoding
        // A 16-bit input is answered in its own type (rounded to nearest even).
        let wire = input.dtype?.isHalfPrecision == true ? input.dtype : nil
        var w = JSONWriter(capacity: 64 + 12 * (g.outputCount * 2 + (mask == nil ? 0 : g.inputCount)))
        w.byte(UInt8(ascii: "{"))
        if job.returns.contains(.output) {
            w.key("output")
            TensorWriter.write(output, shape: g.outputShape, encoding: encoding, as: wire, into: &w)
            w.byte(UInt8(ascii: ","))
        }
        if let indices {
            w.key("indices")
            TensorWriter.write(indices, shape: g.outputShape, encoding: encoding, into: &w)
            w.byte(UInt8(ascii: ","))
        }
        if let mask {
            w.key("mask")
            TensorWriter.write(mask, shape: g.inputShape, encoding: encoding, as: wire, into: &w)
            w.byte(UInt8(ascii: ","))
        }
        if let drawn = job.drawnSamples {
            // The samples the service drew: sent back so that the call (and its backward) can be replayed.
            w.key("samples")
            TensorWriter.write(drawn.map { T(double: $0) }, shape: [g.batch, g.channels, g.inputSpatial.count], encoding: encoding, into: &w)
            w.byte(UInt8(ascii: ","))
        }
        w.key("outputShape")
        TensorWriter.writeShape(g.outputShape, into: &w)
        w.byte(UInt8(ascii: "}"))
        clock.end("encode")
        return Response(status: 200, contentType: "application/json", body: w.bytes)
    }
}
