import MicroHTTP
import Pooling

extension PoolService {
    /// `POST /pool/backward`.
    func backward(_ request: Request) -> Response {
        var allowed = PoolParameters.fieldNames.union(["gradOutput", "input", "indices", "inputShape"])
        allowed.remove("return")
        switch envelope(request, allowed: allowed) {
        case .failure(let e): return e.response
        case .success(let (parameters, reader, problems)):
            switch parameters.dtype ?? .float32 {
            case .float32: return backward(Float.self, parameters, reader, problems)
            case .float64: return backward(Double.self, parameters, reader, problems)
            }
        }
    }

    private func backward<T: PoolScalar & TensorElement & WireElement>(_: T.Type, _ parameters: PoolParameters, _ reader: FieldReader,
                                                                     _ problems: ProblemList) -> Response {
        var problems = problems
        let root = JSONPointer.root
        let tensors = TensorReader(document: reader.document, maxElements: limits.maxElements)
        let mode = parameters.mode ?? .max
        var gradOutput: DecodedTensor<T>?
        if let value = reader.value("gradOutput") {
            gradOutput = tensors.read(value, at: root / "gradOutput", as: T.self, problems: &problems)
        } else {
            problems.add(root / "gradOutput", "is required")
        }
        let input: DecodedTensor<T>? = reader.value("input").flatMap { tensors.read($0, at: root / "input", as: T.self, problems: &problems) }
        var indices: DecodedTensor<Int64>?
        if let value = reader.value("indices") {
            if mode == .max {
                indices = tensors.read(value, at: root / "indices", as: Int64.self, problems: &problems)
                if parameters.ties == .split {
                    problems.add(root / "indices", "cannot be used with \"ties\": \"split\", which needs the input to find the tied maxima; send \"input\" instead")
                }
            } else {
                problems.add(root / "indices", "applies only to mode \"max\"")
            }
        }
        var shape = input?.shape
        if let value = reader.value("inputShape") {
            if let given = tensors.readShape(value, at: root / "inputShape", problems: &problems) {
                if let shape, shape != given {
                    problems.add(root / "inputShape", "is \(given) but \"input\" has shape \(shape)")
                }
                shape = shape ?? given
            }
        }
        if reader.value("input") == nil {
            switch mode {
            case .lp: problems.add(root / "input", "is required for mode \"lp\"")
            case .max where reader.value("indices") == nil:
                problems.add(root / "input", "is required for mode \"max\" unless \"indices\" is given")
            case .max, .avg:
                if reader.value("inputShape") == nil { problems.add(root / "inputShape", "is required when \"input\" is not given") }
            }
        }
        let job = RequestValidator.job(parameters, present: reader.present, inputShape: shape, inputPointer: reader.value("input") != nil ? root / "input" : root / "inputShape",
                                       limits: limits, problems: &problems)
        if let job, let gradOutput, gradOutput.shape != job.geometry.outputShape {
            problems.add(root / "gradOutput", "has shape \(gradOutput.shape) but the forward output shape is \(job.geometry.outputShape)")
        }
        if let job, let indices, indices.shape != job.geometry.outputShape {
            problems.add(root / "indices", "has shape \(indices.shape) but the forward output shape is \(job.geometry.outputShape)")
        }
        guard problems.isEmpty, let job, let gradOutput else { return ProblemResponses.problems(problems) }

        let g = job.geometry
        let gradInput: [T]
        switch job.function {
        case .max(let options):
            if let input {
                gradInput = Pool.maxBackward(gradOutput: gradOutput.values, input: input.values, geometry: g, options: options)
            } else {
                do {
                    gradInput = try Pool.maxBackward(gradOutput: gradOutput.values, indices: indices!.values, geometry: g,
                                                     indexSpace: options.indexSpace)
                } catch {
                    problems.add(Self.elementPointer(root / "indices", indices!, error.position), error.message)
                    return ProblemResponses.problems(problems)
                }
            }
        case .avg(let options):
            gradInput = Pool.avgBackward(gradOutput: gradOutput.values, geometry: g, options: options)
        case .lp(let p):
            gradInput = Pool.lpBackward(gradOutput: gradOutput.values, input: input!.values, geometry: g, p: p)
        }
        Self.countElements("backward", g.outputCount + g.inputCount * (input == nil ? 1 : 2))
        var w = JSONWriter(capacity: 32 + 12 * g.inputCount)
        w.raw("{\"gradInput\":")
        TensorWriter.write(gradInput, shape: g.inputShape, encoding: job.encoding ?? gradOutput.encoding, into: &w)
        w.byte(UInt8(ascii: "}"))
        return Response(status: 200, contentType: "application/json", body: w.bytes)
    }

    /// The pointer to element `position` (row-major) of a tensor in its wire form.
    static func elementPointer<E>(_ base: JSONPointer, _ tensor: DecodedTensor<E>, _ position: Int) -> JSONPointer {
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
