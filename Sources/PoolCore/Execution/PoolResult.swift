import Pooling
import RequestDecoding

/// What one call computed, in its compute type `T`; each part nil when not asked for.
public struct PoolResult<T: PoolScalar>: Sendable {
    public var output: [T]?
    public var indices: [Int64]?
    public var mask: [T]?
    public var gradInput: [T]?
    /// Fractional pooling's samples the service drew (the request gave none), [N, C, d]:
    /// returned so that the call and its backward can be replayed.
    public var samples: [T]?
}

/// A computed call in whichever type it was computed in.
public enum PoolOutcome: Sendable {
    case float(PoolResult<Float>)
    case double(PoolResult<Double>)
}

/// Why a call was not computed.
public enum PoolFailure: Error, Sendable {
    /// The request breaks the contract or a size limit (every problem listed).
    case problems(ProblemList)
    /// The memory budget has no room for what the call would hold.
    case overBudget
    /// The call was cancelled (drain deadline, client deadline); its results were discarded.
    case cancelled
}

