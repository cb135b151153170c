import MicroHTTP
import PoolAPI
import TensorJSON
import Pooling

extension InferenceService {
    /// `POST /v2/models/{name}/infer`: reads the request, checks it into a plan, computes the
    /// outputs with the pooling core and writes them.
    func infer(_ request: Request, layer: LayerModel) throws(InferenceError) -> Response {
        switch request.mediaType {
        case nil, "application/json", "application/octet-stream": break
        case let other?:
            throw InferenceError(status: 415, "Content-Type must be application/json or application/octet-stream (or none), got \(quoted(other))")
        }
        let parsed = try InferenceRequest.parse(request.body, headerLength: request.header("inference-header-content-length"))
        let plan = try InferencePlan(parsed, layer: layer, limits: limits)
        let outputs: [OutputTensor]
        switch plan.compute {
        case .float32: outputs = try run(Float.self, plan, body: request.body, cancellation: request.kernelCancellation())
        case .float64: outputs = try run(Double.self, plan, body: request.body, cancellation: request.kernelCancellation())
        }
        return InferenceResponse(model: layer.name, id: parsed.id, outputs: outputs).response
    }

    private func run<T: InferenceScalar>(_: T.Type, _ plan: InferencePlan, body: [UInt8],
                                        cancellation: Cancellation) throws(InferenceError) -> [OutputTensor] {
        let g = plan.job.geometry
        let x: [T]? = try plan.input.map { (t) throws(InferenceError) in try values(t, plan, body) }
        let dy: [T]? = try plan.gradOutput.map { (t) throws(InferenceError) in try values(t, plan, body) }
        // Every input given is read (and so checked), whether or not the outputs asked for need it.
        let routes: [Int64]? = try plan.indices.map { (t) throws(InferenceError) in try indexValues(t, plan, body) }
        let wanted = Set(plan.outputs.map(\.name))
        var output: [T]?
        var indices: [Int64]?
        var mask: [T]?
        var gradInput: [T]?
        if let x, !wanted.isDisjoint(with: [.output, .indices, .mask]) {
            switch plan.job.function {
            case .max(let options):
                let r = Pool.maxForward(x, geometry: g, options: options, indices: wanted.contains(.indices), mask: wanted.contains(.mask),
                                        cancellation: cancellation)
                (output, indices, mask) = (r.output, r.indices, r.mask)
            case .avg(let options): output = Pool.avgForward(x, geometry: g, options: options, cancellation: cancellation)
            case .lp(let p): output = Pool.lpForward(x, geometry: g, p: p, absolute: plan.job.lpAbsolute, cancellation: cancellation)
            }
        }
        if let dy, wanted.contains(.gradInput) {
            switch plan.job.function {
            case .max(let options):
                if let x {
                    gradInput = Pool.maxBackward(gradOutput: dy, input: x, geometry: g, options: options, cancellation: cancellation)
                } else if let routes {
                    do {
                        gradInput = try Pool.maxBackward(gradOutput: dy, indices: routes, geometry: g, indexSpace: options.indexSpace,
                                                         cancellation: cancellation)
                    } catch {
                        throw .badRequest("input 'INDICES' element \(error.position): \(error.message)")
                    }
                }
            case .avg(let options): gradInput = Pool.avgBackward(gradOutput: dy, geometry: g, options: options, cancellation: cancellation)
            case .lp(let p): gradInput = x.map { Pool.lpBackward(gradOutput: dy, input: $0, geometry: g, p: p, absolute: plan.job.lpAbsolute,
                                                                             cancellation: cancellation) }
            }
        }
        return plan.outputs.compactMap { name, binary -> OutputTensor? in
            let values: OutputTensor.Values?
            switch name {
            case .output: values = output.map(T.wrap)
            case .indices: values = indices.map(OutputTensor.Values.int64)
            case .mask: values = mask.map(T.wrap)
            case .gradInput: values = gradInput.map(T.wrap)
            }
            guard let values else { return nil }
            let shape = name == .output || name == .indices ? g.outputShape : g.inputShape
            return OutputTensor(name: name.rawValue, datatype: name == .indices ? .int64 : plan.wireType, shape: shape,
                                binary: binary, values: values)
        }
    }

    /// A floating-point input's values in the compute type: binary data converted (or copied
    /// as it is) from the body, or JSON data rounded to the input's datatype.
    private func values<T: InferenceScalar>(_ tensor: InferenceRequest.Input, _ plan: InferencePlan, _ body: [UInt8]) throws(InferenceError) -> [T] {
        let count = InferencePlan.count(tensor)
        if let range = tensor.binary {
            let decoded = body.withUnsafeBytes { T.decode(UnsafeRawBufferPointer(rebasing: $0[range]), as: tensor.datatype, count: count) }
            switch decoded {
            case .success(let v): return v
            case .failure(let e): throw .badRequest("input \(quoted(tensor.name)): \(e.message)")
            }
        }
        var problems = ProblemList()
        guard let data = tensor.data,
              let v = T.readJSON(data, in: plan.request.document, at: .root / tensor.name / "data", maxElements: limits.maxElements, problems: &problems) else {
            throw InferencePlan.error(problems, layer: plan.layer)
        }
        guard v.count == count else {
            throw .badRequest("input \(quoted(tensor.name)): \"data\" has \(v.count) values but shape \(tensor.shape) needs \(count)")
        }
        if tensor.datatype == .fp16 || tensor.datatype == .bf16 || (tensor.datatype == .fp32 && T.self == Double.self) {
            return v.map { T.rounded($0, to: tensor.datatype) }
        }
        return v
    }

    /// The INDICES input's values.
    private func indexValues(_ tensor: InferenceRequest.Input, _ plan: InferencePlan, _ body: [UInt8]) throws(InferenceError) -> [Int64] {
        let count = InferencePlan.count(tensor)
        if let range = tensor.binary {
            return body.withUnsafeBytes { copied(UnsafeRawBufferPointer(rebasing: $0[range]), count: count, as: Int64.self) }
        }
        var problems = ProblemList()
        guard let data = tensor.data,
              let v = TensorCodec.read(data, in: plan.request.document, at: .root / tensor.name / "data", maxElements: limits.maxElements,
                                       as: Int64.self, problems: &problems)?.values else {
            throw InferencePlan.error(problems, layer: plan.layer)
        }
        guard v.count == count else {
            throw .badRequest("input \(quoted(tensor.name)): \"data\" has \(v.count) values but shape \(tensor.shape) needs \(count)")
        }
        return v
    }
}

extension Float {
    /// Output values of this type.
    static func wrap(_ v: [Float]) -> OutputTensor.Values { .float(v) }
}

extension Double {
    /// Output values of this type.
    static func wrap(_ v: [Double]) -> OutputTensor.Values { .double(v) }
}
