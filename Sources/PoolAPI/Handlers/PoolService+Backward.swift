import MicroHTTP
import Pooling
import TensorJSON

extension PoolService {
    /// `POST /pool/backward`: read → validate → compute → write.
    func backward(_ request: Request) -> Response {
        switch decode(BackwardRequest.self, request) {
        case .failure(let e): return e.response
        case .success(let (model, decodeProblems)):
            var problems = decodeProblems
            guard let model else { return ProblemResponses.problems(problems) }
            let job = RequestValidator.backward(model, limits: limits, problems: &problems)
            switch model.parameters.dtype ?? .float32 {
            case .float32: return backward(Float.self, model, job, problems)
            case .float64: return backward(Double.self, model, job, problems)
            }
        }
    }

    private func backward<T: PoolScalar & TensorElement & WireElement>(_: T.Type, _ model: BackwardRequest, _ job: PoolJob?,
                                                                     _ problems: ProblemList) -> Response {
        var problems = problems
        let readable = !problems.tooLarge
        let gradOutput = readable ? model.gradOutput?.read(T.self, problems: &problems) : nil
        let input = readable ? model.input?.read(T.self, problems: &problems) : nil
        // Indices matter only for max; validation refused them for the other modes.
        let indices = readable && (model.parameters.mode ?? .max) == .max ? model.indices?.read(Int64.self, problems: &problems) : nil
        guard problems.isEmpty, let job, let gradOutput, let encoding = job.encoding ?? model.gradOutput?.encoding else {
            return ProblemResponses.problems(problems)
        }
        let g = job.geometry
        let gradInput: [T]
        switch (job.function, input, indices) {
        case (.max(let options), let input?, _):
            gradInput = Pool.maxBackward(gradOutput: gradOutput, input: input, geometry: g, options: options)
        case (.max(let options), nil, let indices?):
            do {
                gradInput = try Pool.maxBackward(gradOutput: gradOutput, indices: indices, geometry: g, indexSpace: options.indexSpace)
            } catch {
                problems.add(Self.elementPointer(.root / "indices", model.indices!, error.position), error.message)
                return ProblemResponses.problems(problems)
            }
        case (.avg(let options), _, _):
            gradInput = Pool.avgBackward(gradOutput: gradOutput, geometry: g, options: options)
        case (.lp(let p), let input?, _):
            gradInput = Pool.lpBackward(gradOutput: gradOutput, input: input, geometry: g, p: p)
        default:
            // Validation requires input (lp) or input or indices (max); nothing else reaches here.
            problems.add(.root / "input", "is required")
            return ProblemResponses.problems(problems)
        }
        Self.countElements("backward", g.outputCount + g.inputCount * (input == nil ? 1 : 2))
        var w = JSONWriter(capacity: 32 + 12 * g.inputCount)
        w.raw("{\"gradInput\":")
        TensorWriter.write(gradInput, shape: g.inputShape, encoding: encoding, into: &w)
        w.byte(UInt8(ascii: "}"))
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
