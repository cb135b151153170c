import PoolAPI
import TensorJSON
import Pooling

/// The input tensors of a pooling layer.
enum LayerInput: String, CaseIterable {
    /// The forward input (FP16, BF16, FP32 or FP64).
    case input = "INPUT"
    /// ∂L/∂output: with it the call also computes the backward.
    case gradOutput = "GRAD_OUTPUT"
    /// A max forward's indices (INT64): the backward without the input.
    case indices = "INDICES"
}

/// The output tensors of a pooling layer.
enum LayerOutput: String, CaseIterable {
    case output = "OUTPUT", indices = "INDICES", mask = "MASK", gradInput = "GRAD_INPUT"
}

/// What one infer call computes: the layer's parameters with the request's, the tensors by
/// role, the job the native validator made of them, the compute and answer types, and the
/// outputs to send. Building it checks everything the protocol and the layer require; nothing
/// is read or computed until it exists.
struct InferencePlan {
    let request: InferenceRequest
    let layer: LayerModel
    let input: InferenceRequest.Input?
    let gradOutput: InferenceRequest.Input?
    let indices: InferenceRequest.Input?
    /// The answer's datatype: INPUT's (or GRAD_OUTPUT's when there is no INPUT).
    let wireType: TensorDataType
    /// The layer's `dtype` if it names one, else float64 for FP64 tensors and float32 for the rest.
    let compute: ComputeType
    let job: PoolJob
    /// The outputs to send, in the order asked for, each with whether it goes as binary data.
    let outputs: [(name: LayerOutput, binary: Bool)]
    let limits: Limits

    init(_ request: InferenceRequest, layer: LayerModel, limits: Limits) throws(InferenceError) {
        self.request = request
        self.layer = layer
        self.limits = limits
        var byRole: [LayerInput: InferenceRequest.Input] = [:]
        for tensor in request.inputs {
            guard let role = LayerInput(rawValue: tensor.name) else {
                throw .badRequest("unexpected inference input \(quoted(tensor.name)) for model \(quoted(layer.name)); its inputs are INPUT, GRAD_OUTPUT and INDICES")
            }
            guard byRole[role] == nil else { throw .badRequest("input \(quoted(tensor.name)) is given more than once") }
            byRole[role] = tensor
        }
        input = byRole[.input]
        gradOutput = byRole[.gradOutput]
        indices = byRole[.indices]
        let (parameters, inputShape) = try Self.parameters(request, layer)
        let mode = parameters.mode
        let floating = TensorDataType.floatingPoint.map(\.rawValue).joined(separator: ", ")
        for tensor in [input, gradOutput].compactMap({ $0 }) where !TensorDataType.floatingPoint.contains(tensor.datatype) {
            throw .badRequest("unexpected datatype \(tensor.datatype.rawValue) for inference input \(quoted(tensor.name)) of model \(quoted(layer.name)); expected one of \(floating)")
        }
        if let input, let gradOutput, input.datatype != gradOutput.datatype {
            throw .badRequest("input 'GRAD_OUTPUT' has datatype \(gradOutput.datatype.rawValue) but 'INPUT' has \(input.datatype.rawValue); they must agree")
        }
        if let indices {
            guard indices.datatype == .int64 else {
                throw .badRequest("unexpected datatype \(indices.datatype.rawValue) for inference input 'INDICES' of model \(quoted(layer.name)); expected INT64")
            }
            guard mode == .max else { throw .badRequest("input 'INDICES' applies only to max pooling; model \(quoted(layer.name)) pools with \(mode.rawValue)") }
            guard gradOutput != nil else { throw .badRequest("input 'INDICES' is used by the backward only: give 'GRAD_OUTPUT' with it") }
            if input == nil && parameters.parameters.ties == .split {
                throw .badRequest("input 'INDICES' cannot be used with ties \"split\", which needs the input to find the tied maxima; send 'INPUT' instead")
            }
        }
        for tensor in request.inputs { try Self.checkSize(tensor, limits: limits) }
        guard let shape = input?.shape ?? inputShape else {
            guard gradOutput != nil else { throw .badRequest("model \(quoted(layer.name)) needs input 'INPUT'") }
            switch mode {
            case .lp: throw .badRequest("input 'INPUT' is required for the backward of lp pooling")
            case .max where indices == nil: throw .badRequest("input 'INPUT' is required for the backward of max pooling unless 'INDICES' is given")
            default: throw .badRequest("parameter 'input_shape' is required when 'INPUT' is not given")
            }
        }
        if let input, let inputShape, input.shape != inputShape {
            throw .badRequest("parameter 'input_shape' is \(inputShape) but input 'INPUT' has shape \(input.shape)")
        }
        let source = input == nil ? "parameter 'input_shape'" : "input 'INPUT'"
        if let rank = layer.rank, shape.count != rank {
            throw .badRequest("unexpected shape for \(source) of model \(quoted(layer.name)): expected \(rank) dimensions \([Int](repeating: -1, count: rank)), got \(shape)")
        }
        var problems = ProblemList()
        // With GRAD_OUTPUT the call may compute the forward too: the cost of both is held to --max-work.
        let direction: WorkCost.Direction = gradOutput == nil ? .forward : input == nil ? .backward : .both
        let job = parameters.job(inputShape: shape, inputPointer: .root / (input == nil ? "input_shape" : "INPUT"), direction: direction,
                                 limits: limits, problems: &problems)
        guard problems.isEmpty, let job else { throw Self.error(problems, layer: layer) }
        for tensor in [gradOutput, indices].compactMap({ $0 }) where tensor.shape != job.geometry.outputShape {
            throw .badRequest("unexpected shape for input \(quoted(tensor.name)) of model \(quoted(layer.name)): the layer's output shape for \(source) \(shape) is \(job.geometry.outputShape), got \(tensor.shape)")
        }
        self.job = job
        wireType = (input ?? gradOutput!).datatype
        compute = parameters.parameters.dtype ?? (wireType == .fp64 ? .float64 : .float32)
        outputs = try Self.outputs(request, layer: layer, mode: mode, hasInput: input != nil, hasGradOutput: gradOutput != nil)
    }

    /// The outputs asked for (or all that apply), after checking that each applies.
    private static func outputs(_ request: InferenceRequest, layer: LayerModel, mode: PoolMode, hasInput: Bool,
                                hasGradOutput: Bool) throws(InferenceError) -> [(name: LayerOutput, binary: Bool)] {
        func problem(_ output: LayerOutput) -> String? {
            switch output {
            case .output, .indices, .mask:
                if output != .output && mode != .max { return "exists only for max pooling; model \(quoted(layer.name)) pools with \(mode.rawValue)" }
                return hasInput ? nil : "needs input 'INPUT'"
            case .gradInput: return hasGradOutput ? nil : "needs input 'GRAD_OUTPUT'"
            }
        }
        guard let asked = request.outputs else {
            return LayerOutput.allCases.filter { problem($0) == nil }.map { ($0, request.binaryOutput) }
        }
        var chosen: [(name: LayerOutput, binary: Bool)] = []
        for output in asked {
            guard let name = LayerOutput(rawValue: output.name) else {
                throw .badRequest("unexpected inference output \(quoted(output.name)) for model \(quoted(layer.name)); its outputs are OUTPUT, INDICES, MASK and GRAD_INPUT")
            }
            guard !chosen.contains(where: { $0.name == name }) else { throw .badRequest("output \(quoted(output.name)) is asked for more than once") }
            if let why = problem(name) { throw .badRequest("output \(quoted(output.name)) \(why)") }
            chosen.append((name, output.binary ?? request.binaryOutput))
        }
        return chosen
    }

    /// Checks the element count against the limit and a binary input's size against its shape.
    private static func checkSize(_ tensor: InferenceRequest.Input, limits: Limits) throws(InferenceError) {
        var count = 1
        for d in tensor.shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow, product <= limits.maxElements else {
                throw InferenceError(status: 413, "input \(quoted(tensor.name)) of shape \(tensor.shape) has more elements than the limit of \(limits.maxElements) per tensor (raise it with --max-elements)")
            }
            count = product
        }
        if let size = tensor.binarySize, let width = tensor.datatype.byteSize, size != count * width {
            throw .badRequest("unexpected size for input \(quoted(tensor.name)): shape \(tensor.shape) of \(tensor.datatype.rawValue) needs \(count * width) bytes but its binary_data_size is \(size)")
        }
    }

    /// The element count of a tensor that passed ``checkSize(_:limits:)``.
    static func count(_ tensor: InferenceRequest.Input) -> Int { tensor.shape.reduce(1, *) }
}
