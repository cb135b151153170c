/// Where the channel dimension sits in a tensor.
public enum Layout: String, Sendable, CaseIterable {
    /// (N, C, D1, …, Dd): PyTorch's default.
    case channelsFirst = "channels_first"
    /// (N, D1, …, Dd, C): TensorFlow's default.
    case channelsLast = "channels_last"
}

/// Which of several equal maxima of a window is selected.
public enum TieRule: String, Sendable, CaseIterable {
    /// The first in row-major order of the kernel offsets (PyTorch, TensorFlow).
    case first
    /// The last in that order.
    case last
    /// The first for output and indices; the gradient is shared equally among all tied maxima.
    case split
}

/// How NaN competes for a window's maximum.
public enum NaNPolicy: String, Sendable, CaseIterable {
    /// A NaN is larger than every number (PyTorch); of several NaNs in one window the last in
    /// scan order is selected, whatever ``TieRule`` says (``TieRule/split`` shares among them).
    case propagate
    /// A NaN never wins unless the window holds nothing but NaNs.
    case ignore
}

/// How max pooling numbers the selected input cells.
public enum IndexSpace: String, Sendable, CaseIterable {
    /// Flat index inside the sample's own channel plane, D1…Dd row-major (PyTorch).
    case plane
    /// Flat index into the whole input in its layout (ONNX `Indices`, TensorFlow `include_batch_in_index`).
    case tensor
}

/// The options of max pooling.
public struct MaxOptions: Sendable, Equatable {
    public var ties: TieRule
    public var nan: NaNPolicy
    public var indexSpace: IndexSpace

    public init(ties: TieRule = .first, nan: NaNPolicy = .propagate, indexSpace: IndexSpace = .plane) {
        self.ties = ties
        self.nan = nan
        self.indexSpace = indexSpace
    }
}

/// The options of average pooling.
public struct AvgOptions: Sendable, Equatable {
    /// Whether padded cells (up to the padded border, never ceil mode's overhang) count in the divisor.
    public var countIncludePad: Bool
    /// A fixed divisor that replaces the cell count.
    public var divisorOverride: Int?

    public init(countIncludePad: Bool = true, divisorOverride: Int? = nil) {
        self.countIncludePad = countIncludePad
        self.divisorOverride = divisorOverride
    }
}
