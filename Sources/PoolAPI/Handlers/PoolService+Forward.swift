import MicroHTTP
import Pooling
import TensorJSON

extension PoolService {
    /// `POST /pool/forward`: read → validate → compute → write.
    func forward(_ request: Request) -> Response {
        switch decode(ForwardRequest.self, request) {
        case .failure(let e): return e.response
        case .success(let (model, decodeProblems)):
            var problems = decodeProblems
            guard let model else { return ProblemResponses.problems(problems) }
            let job = RequestValidator.forward(model, limits: limits, problems: &problems)
            switch model.parameters.dtype ?? .float32 {
            case .float32: return forward(Float.self, model, job, problems)
            case .float64: return forward(Double.self, model, job, problems)
            }
        }
    }

    private func forward<T: PoolScalar & TensorElement & WireElement>(_: T.Type, _ model: ForwardRequest, _ job: PoolJob?,
                                                                    _ problems: ProblemList) -> Response {
        var problems = problems
        // Elements are read even when validation failed, so that their problems are listed
        // too — but not past a size limit.
        let values = problems.tooLarge ? nil : model.input?.read(T.self, problems: &problems)
        guard problems.isEmpty, let job, let input = model.input, let values else { return ProblemResponses.problems(problems) }

        let g = job.geometry
        var output: [T] = []
        var indices: [Int64]?
        var mask: [T]?
        switch job.function {
        case .max(let options):
            let r = Pool.maxForward(values, geometry: g, options: options,
                                    indices: job.returns.contains(.indices), mask: job.returns.contains(.mask))
            (output, indices, mask) = (r.output, r.indices, r.mask)
        case .avg(let options): output = Pool.avgForward(values, geometry: g, options: options)
        case .lp(let p): output = Pool.lpForward(values, geometry: g, p: p)
        }
        Self.countElements("forward", g.inputCount + g.outputCount * (1 + (indices == nil ? 0 : 1)) + (mask == nil ? 0 : g.inputCount))
        let encoding = job.encoding ?? input.encoding
        var w = JSONWriter(capacity: 64 + 12 * (g.outputCount * 2 + (mask == nil ? 0 : g.inputCount)))
        w.byte(UInt8(ascii: "{"))
        if job.returns.contains(.output) {
            w.key("output")
            TensorWriter.write(output, shape: g.outputShape, encoding: encoding, into: &w)
            w.byte(UInt8(ascii: ","))
        }
        if let indices {
            w.key("indices")
            TensorWriter.write(indices, shape: g.outputShape, encoding: encoding, into: &w)
            w.byte(UInt8(ascii: ","))
        }
        if let mask {
            w.key("mask")
            TensorWriter.write(mask, shape: g.inputShape, encoding: encoding, into: &w)
            w.byte(UInt8(ascii: ","))
        }
        w.key("outputShape")
        TensorWriter.writeShape(g.outputShape, into: &w)
        w.byte(UInt8(ascii: "}"))
        return Response(status: 200, contentType: "application/json", body: w.bytes)
    }
}
