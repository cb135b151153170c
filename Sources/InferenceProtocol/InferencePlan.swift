import PoolCore
import TensorJSON
import Pooling

/// The input tensors of a pooling layer.
package enum LayerInput: String, CaseIterable {
    /// The forward input (FP16, BF16, FP32 or FP64).
    case input = "INPUT"
    /// ∂L/∂output: with it the call also computes the backward.
    case gradOutput = "GRAD_OUTPUT"
    /// A max forward's indices (INT64): the backward without the input.
    case indices = "INDICES"

    /// The input that plays the core's tensor role `role` (`input`, `gradOutput`, `indices`).
    package init?(role: String) {
        switch role {
        case "input": self = .input
        case "gradOutput": self = .gradOutput
        case "indices": self = .indices
        default: return nil
        }
    }
}

/// The output tensors of a pooling layer.
package enum LayerOutput: String, CaseIterable {
    case output = "OUTPUT", indices = "INDICES", mask = "MASK", gradInput = "GRAD_INPUT"
    /// Fractional pooling's samples the service drew, [N, C, d]: give them back as the
    /// `fractional.samples` parameter to replay the call.
    case samples = "SAMPLES"
}

/// What one infer call asks of the core: the layer's parameters with the request's, the tensors
/// by role, and the outputs to send. Building it checks what the protocol and the layer require
/// (names, datatypes, ranks, sizes); the pooling rules are the core's.
package struct InferencePlan {
    package let request: InferenceRequest
    package let layer: LayerModel
    /// The call as the core runs it.
    package let core: PoolRequest
    /// The answer's datatype: INPUT's (or GRAD_OUTPUT's when there is no INPUT).
    package let wireType: TensorDataType
    /// The outputs asked for, in order, each with whether it goes as binary data (nil: every
    /// output that applies, with `binary_data_output`).
    package let asked: [(name: LayerOutput, binary: Bool)]?

    package init(_ request: InferenceRequest, layer: LayerModel, body: [UInt8], limits: Limits) throws(InferenceError) {
        self.request = request
        self.layer = layer
        var byRole: [LayerInput: InferenceRequest.Input] = [:]
        for tensor in request.inputs {
            guard let role = LayerInput(rawValue: tensor.name) else {
                throw .badRequest("unexpected inference input \(quoted(tensor.name)) for model \(quoted(layer.name)); its inputs are INPUT, GRAD_OUTPUT and INDICES")
            }
            guard byRole[role] == nil else { throw .badRequest("input \(quoted(tensor.name)) is given more than once") }
            byRole[role] = tensor
        }
        let (input, gradOutput, indices) = (byRole[.input], byRole[.gradOutput], byRole[.indices])
        let (parameters, inputShape) = try Self.parameters(request, layer)
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
            guard gradOutput != nil else { throw .badRequest("input 'INDICES' is used by the backward only: give 'GRAD_OUTPUT' with it") }
        }
        for tensor in request.inputs { try Self.checkSize(tensor, limits: limits) }
        guard input != nil || gradOutput != nil else { throw .badRequest("model \(quoted(layer.name)) needs input 'INPUT'") }
        if let rank = layer.rank, let shape = input?.shape ?? inputShape, shape.count != rank {
            let source = input == nil ? "parameter 'input_shape'" : "input 'INPUT'"
            throw .badRequest("unexpected shape for \(source) of model \(quoted(layer.name)): expected \(rank) dimensions \([Int](repeating: -1, count: rank)), got \(shape)")
        }
        asked = try Self.asked(request, layer: layer, mode: parameters.mode, hasInput: input != nil, hasGradOutput: gradOutput != nil)
        let forward = asked.map { $0.contains { [.output, .indices, .mask, .samples].contains($0.name) } } ?? (input != nil)
        let backward = gradOutput != nil && (asked.map { $0.contains { $0.name == .gradInput } } ?? true)
        let kind: PoolRequest.Kind = forward && backward ? .both : backward ? .backward : .forward
        wireType = (input ?? gradOutput!).datatype
        let source = { (t: InferenceRequest.Input?, role: String) in
            t.map { InferenceTensor(input: $0, role: role, body: body, document: request.document, maxElements: limits.maxElements) }
        }
        let parts = asked?.compactMap { ReturnPart(output: $0.name) }
        core = PoolRequest(kind: kind, parameters: parameters.parameters, input: source(input, "input"),
                           gradOutput: source(gradOutput, "gradOutput"), indices: source(indices, "indices"), inputShape: inputShape,
                           returnParts: parts.map { $0.isEmpty ? [.output] : $0 },
                           defaultComputeType: wireType == .fp64 ? .float64 : .float32)
    }

    /// The outputs the call answers with, once the core has computed it: those asked for, or
    /// every one that applies (SAMPLES when the call drew them).
    package func outputs(drewSamples: Bool) throws(InferenceError) -> [(name: LayerOutput, binary: Bool)] {
        if let asked {
            if asked.contains(where: { $0.name == .samples }) && !drewSamples {
                throw .badRequest("output 'SAMPLES' exists only when the call draws fractional samples (fractional pooling without \"samples\")")
            }
            return asked
        }
        let hasInput = core.input != nil, hasGrad = core.gradOutput != nil
        return LayerOutput.allCases.filter { name in
            switch name {
            case .output: return hasInput
            case .indices, .mask: return hasInput && (core.parameters.mode ?? .max) == .max
            case .gradInput: return hasGrad
            case .samples: return drewSamples
            }
        }.map { ($0, request.binaryOutput) }
    }

    /// The outputs asked for (nil: all that apply), after checking that each applies.
    private static func asked(_ request: InferenceRequest, layer: LayerModel, mode: PoolMode, hasInput: Bool,
                              hasGradOutput: Bool) throws(InferenceError) -> [(name: LayerOutput, binary: Bool)]? {
        func problem(_ output: LayerOutput) -> String? {
            switch output {
            case .output, .indices, .mask, .samples:
                if output == .indices || output == .mask, mode != .max { return "exists only for max pooling; model \(quoted(layer.name)) pools with \(mode.rawValue)" }
                return hasInput ? nil : "needs input 'INPUT'"
            case .gradInput: return hasGradOutput ? nil : "needs input 'GRAD_OUTPUT'"
            }
        }
        guard let asked = request.outputs else { return nil }
        var chosen: [(name: LayerOutput, binary: Bool)] = []
        for output in asked {
            guard let name = LayerOutput(rawValue: output.name) else {
                throw .badRequest("unexpected inference output \(quoted(output.name)) for model \(quoted(layer.name)); its outputs are OUTPUT, INDICES, MASK, GRAD_INPUT and SAMPLES")
            }
            guard !chosen.contains(where: { $0.name == name }) else { throw .badRequest("output \(quoted(output.name)) is asked for more than once") }
            if let why = problem(name) { throw .badRequest("output \(quoted(output.name)) \(why)") }
            chosen.append((name, output.binary ?? request.binaryOutput))
        }
        return chosen
    }

    /// Checks the element count against the limit and a binary input's size against its shape.
    private static func checkSize(_ tensor: InferenceRequest.Input, limits: Limits) throws(InferenceError) {
        guard let count = ElementCount.of(tensor.shape), count <= limits.maxElements else {
            throw InferenceError(status: 413, "input \(quoted(tensor.name)) of shape \(tensor.shape) has more elements than the limit of \(limits.maxElements) per tensor (raise it with --max-elements)")
        }
        if let size = tensor.binarySize, let width = tensor.datatype.byteSize, size != count * width {
            throw .badRequest("unexpected size for input \(quoted(tensor.name)): shape \(tensor.shape) of \(tensor.datatype.rawValue) needs \(count * width) bytes but its binary_data_size is \(size)")
        }
    }
}

extension ReturnPart {
    /// The forward part an output is (nil for GRAD_INPUT and SAMPLES).
    package init?(output: LayerOutput) {
        switch output {
        case .output: self = .output
        case .indices: self = .indices
        case .mask: self = .mask
        case .gradInput, .samples: return nil
        }
    }
}
