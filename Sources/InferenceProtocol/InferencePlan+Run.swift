import PoolCore
import Pooling

/// Why a planned call did not compute: the transports word each their own way (REST: status
/// and `{"error"}`; gRPC: a status code).
package enum InferenceRunFailure: Error {
    /// The request breaks the protocol or the layer's rules, or a size limit.
    case error(InferenceError)
    /// The memory budget had no room for the call.
    case overBudget
    /// The call was cancelled (drain deadline, client deadline, a client that left).
    case cancelled
}

extension InferencePlan {
    /// Runs the planned call on `executor` and builds the outputs to send: the one path from a
    /// plan to output tensors that every transport takes.
    package func run(on executor: PoolExecutor, clock: inout StageClock, cancellation: Cancellation,
                     reserve: (PoolJob, MemoryEstimate) -> Bool) -> Result<(computed: PoolExecutor.Computed, outputs: [OutputTensor]), InferenceRunFailure> {
        switch executor.run(core, clock: &clock, cancellation: cancellation, reserve: reserve) {
        case .failure(.problems(let problems)): return .failure(.error(Self.error(problems, layer: layer)))
        case .failure(.overBudget): return .failure(.overBudget)
        case .failure(.cancelled): return .failure(.cancelled)
        case .success(let computed):
            do {
                switch computed.outcome {
                case .float(let r): return .success((computed, try outputs(r, computed.job)))
                case .double(let r): return .success((computed, try outputs(r, computed.job)))
                }
            } catch {
                return .failure(.error(error))
            }
        }
    }

    /// The outputs to send, from what the core computed.
    private func outputs<T: InferenceScalar>(_ r: PoolResult<T>, _ job: PoolJob) throws(InferenceError) -> [OutputTensor] {
        let g = job.geometry
        return try outputs(drewSamples: r.samples != nil).compactMap { name, binary -> OutputTensor? in
            let values: OutputTensor.Values?
            var shape = g.inputShape
            var datatype = wireType
            switch name {
            case .output: values = r.output.map(T.wrap); shape = g.outputShape
            case .indices: values = r.indices.map(OutputTensor.Values.int64); shape = g.outputShape; datatype = .int64
            case .mask: values = r.mask.map(T.wrap)
            case .gradInput: values = r.gradInput.map(T.wrap)
            case .samples:
                values = r.samples.map(T.wrap)
                shape = [g.batch, g.channels, g.inputSpatial.count]
                datatype = T.self == Double.self ? .fp64 : .fp32
            }
            guard let values else { return nil }
            return OutputTensor(name: name.rawValue, datatype: datatype, shape: shape, binary: binary, values: values)
        }
    }
}

extension LayerModel {
    /// One tensor of a model's metadata: name, datatype and shape (-1 for a free dimension).
    package typealias TensorSignature = (name: String, datatype: TensorDataType, shape: [Int])

    /// The layer's tensors as model metadata lists them. Free dimensions are -1; a layer whose
    /// rank is not fixed shows the smallest, rank 3 (N, C and one spatial dim).
    package var signature: (inputs: [TensorSignature], outputs: [TensorSignature]) {
        let free = [Int](repeating: -1, count: rank ?? 3)
        let value: TensorDataType = dtype == .float64 ? .fp64 : .fp32
        var inputs: [TensorSignature] = [("INPUT", value, free), ("GRAD_OUTPUT", value, free)]
        var outputs: [TensorSignature] = [("OUTPUT", value, free)]
        if mode == nil || mode == .max {
            inputs.append(("INDICES", .int64, free))
            outputs += [("INDICES", .int64, free), ("MASK", value, free)]
        }
        outputs.append(("GRAD_INPUT", value, free))
        return (inputs, outputs)
    }
}
