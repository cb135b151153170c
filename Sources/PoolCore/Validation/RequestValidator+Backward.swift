import RequestDecoding

extension RequestValidator {
    /// The job of a backward request: the forward's parameters, plus which tensors the mode
    /// needs and that their shapes fit the forward's.
    static func backward(_ r: PoolRequest, limits: Limits, problems: inout ProblemList) -> PoolJob? {
        let root = JSONPointer.root
        let fields = fields(r)
        let mode = r.parameters.mode ?? .max
        if !fields.given("gradOutput") { problems.add(root / "gradOutput", "is required") }
        if fields.given("indices") {
            if mode != .max {
                problems.add(root / "indices", "applies only to mode \"max\"")
            } else if let c = r.parameters.convention, c != .pytorch, !fields.given("input") {
                problems.add(root / "indices", "cannot be used under convention \"\(c.rawValue)\", whose rules select the cell again from the input; send \"input\" instead")
            } else if r.parameters.ties == .split {
                problems.add(root / "indices", "cannot be used with \"ties\": \"split\", which needs the input to find the tied maxima; send \"input\" instead")
            }
        }
        if let given = r.inputShape, let shape = r.input?.shape, shape != given {
            problems.add(root / "inputShape", "is \(given) but \"input\" has shape \(shape)")
        }
        if r.kind == .both, !fields.given("input") {
            problems.add(root / "input", "is required to compute the forward")
        } else if !fields.given("input") {
            switch mode {
            case .lp: problems.add(root / "input", "is required for mode \"lp\"")
            case .max where !fields.given("indices"):
                problems.add(root / "input", "is required for mode \"max\" unless \"indices\" is given")
            case .max, .avg:
                if !fields.given("inputShape") { problems.add(root / "inputShape", "is required when \"input\" is not given") }
            }
        }
        let inputPointer = fields.given("input") ? root / "input" : root / "inputShape"
        let job = job(r.parameters, fields: fields, returnParts: r.kind == .both ? r.returnParts : nil,
                      inputShape: r.input?.shape ?? r.inputShape, inputPointer: inputPointer,
                      direction: r.kind == .both ? .both : .backward, computeType: r.defaultComputeType, limits: limits, problems: &problems)
        if let job, let gradOutput = r.gradOutput, gradOutput.shape != job.geometry.outputShape {
            problems.add(root / "gradOutput", "has shape \(gradOutput.shape) but the forward output shape is \(job.geometry.outputShape)")
        }
        if let job, let indices = r.indices, mode == .max, indices.shape != job.geometry.outputShape {
            problems.add(root / "indices", "has shape \(indices.shape) but the forward output shape is \(job.geometry.outputShape)")
        }
        return job
    }
}
