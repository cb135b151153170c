import Pooling
import RequestDecoding

/// A request that passed validation: everything the core needs, nothing left to check.
public struct PoolJob: Sendable {
    /// The pooling function and its options.
    public enum Function: Sendable, Equatable {
        case max(MaxOptions)
        case avg(AvgOptions)
        case lp(p: Double)
    }

    public let function: Function
    public let geometry: PoolGeometry
    public let dtype: ComputeType
    /// What is computed (the cost held to `--max-work`).
    public let direction: WorkCost.Direction
    /// What a forward call returns, in the contract's order.
    public let returns: [ReturnPart]
    /// How indices count the spatial dims, both ways.
    public let indexOrder: IndexOrder
    /// lp: whether windows sum |x|ᵖ (the contract, ONNX) or xᵖ (PyTorch's `lp_pool`, `lpAbs: false`).
    public var lpAbsolute: Bool = true
    /// Fractional pooling: the samples the service drew (the request gave none), [N, C, d].
    public var drawnSamples: [Double]? = nil
}
