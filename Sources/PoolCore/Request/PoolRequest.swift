import RequestDecoding

/// One pooling call as the core sees it, whatever wire it came on: the parameters as typed
/// values, the tensors unread, and what to compute. Front ends build it; ``PoolExecutor`` runs it.
public struct PoolRequest: Sendable {
    /// What the call computes.
    public enum Kind: Sendable, Equatable {
        /// The forward: `input` → the parts of ``returnParts``.
        case forward
        /// The backward: `gradOutput` (with `input`, or max's `indices`, or `inputShape`) → gradInput.
        case backward
        /// Both in one call (the Open Inference Protocol with INPUT and GRAD_OUTPUT).
        case both
    }

    public var kind: Kind
    public var parameters: PoolParameters
    /// The problems decoding the wire found; a field given with a bad value still counts as given.
    public var decodeProblems: ProblemList
    public var input: (any TensorSource)?
    public var gradOutput: (any TensorSource)?
    public var indices: (any TensorSource)?
    /// The forward input's shape when the input itself is not sent (a backward from indices or avg).
    public var inputShape: [Int]?
    /// The forward parts asked for (nil: the mode's default — all three for max, the output otherwise).
    public var returnParts: [ReturnPart]?
    /// The compute type when the parameters name none (the wire's tensors may suggest float64).
    public var defaultComputeType: ComputeType

    public init(kind: Kind, parameters: PoolParameters, decodeProblems: ProblemList = ProblemList(),
                input: (any TensorSource)? = nil, gradOutput: (any TensorSource)? = nil, indices: (any TensorSource)? = nil,
                inputShape: [Int]? = nil, returnParts: [ReturnPart]? = nil, defaultComputeType: ComputeType = .float32) {
        self.kind = kind
        self.parameters = parameters
        self.decodeProblems = decodeProblems
        self.input = input
        self.gradOutput = gradOutput
        self.indices = indices
        self.inputShape = inputShape
        self.returnParts = returnParts
        self.defaultComputeType = defaultComputeType
    }

    /// Whether the call computes the forward.
    public var computesForward: Bool { kind != .backward }
    /// Whether the call computes the backward.
    public var computesBackward: Bool { kind != .forward }
}
