import MicroHTTP
import Pooling

extension PoolService {
    /// `POST /pool/forward`.
    func forward(_ request: Request) -> Response {
        switch envelope(request, allowed: PoolParameters.fieldNames.union(["input"])) {
        case .failure(let e): return e.response
        case .success(let (parameters, reader, problems)):
            switch parameters.dtype ?? .float32 {
            case .float32: return forward(Float.self, parameters, reader, problems)
            case .float64: return forward(Double.self, parameters, reader, problems)
            }
        }
    }

    private func forward<T: PoolScalar & TensorElement & WireElement>(_: T.Type, _ parameters: PoolParameters, _ reader: FieldReader,
                                                                    _ problems: ProblemList) -> Response {
        var problems = problems
        let tensors = TensorReader(document: reader.document, maxElements: limits.maxElements)
        var input: DecodedTensor<T>?
        if let value = reader.value("input") {
            input = tensors.read(value, at: .root / "input", as: T.self, problems: &problems)
        } else {
            problems.add(.root / "input", "is required")
        }
        let job = RequestValidator.job(parameters, present: reader.present, inputShape: input?.shape, inputPointer: .root / "input",
                                       limits: limits, problems: &problems)
        guard problems.isEmpty, let job, let input else { return ProblemResponses.problems(problems) }

        let g = job.geometry
        var output: [T] = []
        var indices: [Int64]?
        var mask: [T]?
        switch job.function {
        case .max(let options):
            let r = Pool.maxForward(input.values, geometry: g, options: options,
                                    indices: job.returns.contains(.indices), mask: job.returns.contains(.mask))
            (output, indices, mask) = (r.output, r.indices, r.mask)
        case .avg(let options): output = Pool.avgForward(input.values, geometry: g, options: options)
        case .lp(let p): output = Pool.lpForward(input.values, geometry: g, p: p)
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
