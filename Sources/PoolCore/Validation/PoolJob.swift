import Pooling
import RequestDecoding

/// A request that passed validation: everything the core needs, nothing left to check.
public struct PoolJob: Sendable {
    /// The pooling function and its options.
    public enum Function: Sendable, Equatable {
        case max(MaxOptions)
        case avg(AvgOptions)
        case lp(p: Double)

        /// The mode this function pools with.
        public var mode: PoolMode {
            switch self {
            case .max: return .max
            case .avg: return .avg
            case .lp: return .lp
            }
        }
    }

    public let function: Function
    public let geometry: PoolGeometry
    public let dtype: ComputeType
    /// What a forward call returns, in the contract's order.
    public let returns: [ReturnPart]
    /// How indices count the spatial dims, both ways.
    public let indexOrder: IndexOrder
    /// lp: whether windows sum |x|ᵖ (the contract, ONNX) or xᵖ (PyTorch's `lp_pool`, `lpAbs: false`).
    public var lpAbsolute: Bool = true
    /// Fractional pooling: the samples the service drew (the request gave none), [N, C, d].
    public var drawnSamples: [Double]? = nil
    /// The framework convention the call follows (nil: the contract's defaults).
    public var convention: ConventionSetting? = nil
}
