/// The rules by which one framework's pooling differs from another's, as the kernels of
/// ``Pool/conventionForward(_:geometry:function:rules:parts:cancellation:)`` apply them. The
/// window geometry (ceil mode, padding) is the geometry's; everything else is here.
public struct FrameworkRules: Sendable, Equatable {
    /// How a max window's value and selected cell are found, scanning its cells in row-major order.
    public enum MaxScan: Sendable, Equatable {
        /// The first real cell, then every later cell strictly greater (`v > best`): a NaN wins
        /// only as the first cell, of equal maxima the first (TensorFlow's
        /// `SpatialMaxPoolWithArgMaxHelper`, onnxruntime's `MaxPool2DTask`).
        case strictFromFirstCell
        /// TensorFlow 1-D and 2-D: the selected cell (index, gradient) as ``strictFromFirstCell``
        /// (`max_pool_with_argmax`, `MaxPoolGrad`), the value as `tf.nn.max_pool2d` computes it:
        /// from the lowest finite value, `acc = v if acc < v`, so NaN never enters and a window
        /// of NaN and −∞ gives the lowest finite value.
        case tensorflow
        /// TensorFlow 3-D (`tf.nn.max_pool3d`, Eigen's cuboid pooling): the value from −∞ with
        /// padding as the lowest finite value, `acc = v unless v < acc` (a NaN enters, a later
        /// number replaces it; +0 after −0 wins); the gradient, whole, to every real cell within
        /// 1e-5 of the value, and to none when the value is NaN or ±∞. No indices.
        case tensorflowCuboid
        /// From the type's lowest finite value and no cell, every cell strictly greater: a NaN
        /// never wins, and a window of NaNs, −∞ and the lowest value selects nothing and gives the
        /// lowest value (Torch7's `SpatialDilatedMaxPooling_updateOutput_frame`: `maxval = -THInf`,
        /// where `THInf` is `FLT_MAX` / `DBL_MAX`).
        case strictFromLowest
        /// XLA's: the value is the IEEE-754 `maximum` of the window with its padding as −∞ (NaN
        /// propagates, +0 > −0); the gradient goes to the cell `SelectAndScatter` keeps with
        /// `select = ge`: the running choice is replaced by a cell v unless choice ≥ v, so a NaN
        /// takes it and the next cell takes it back. A padding cell chosen drops its gradient.
        case xla
    }

    /// What a max window without a real cell gives (ceil mode keeping a window in the padding).
    public enum EmptyMax: Sendable, Equatable {
        /// −∞.
        case negativeInfinity
        /// The type's lowest finite value (onnxruntime's `std::numeric_limits<T>::lowest()`).
        case lowest
    }

    /// The divisor of an average window.
    public enum Divisor: Sendable, Equatable {
        /// Real and padded cells up to the padded border, never ceil mode's overhang.
        case paddedWindow
        /// Real cells only.
        case realCells
        /// Every cell of the kernel (flax's `avg_pool(count_include_pad=True)`: `prod(window_shape)`).
        case kernel
    }

    /// What an average window without a real cell gives.
    public enum EmptyAverage: Sendable, Equatable {
        /// 0 (onnxruntime: `if (total_elements > 0)`).
        case zero
        /// The quotient as computed: 0 / divisor, NaN for 0 / 0.
        case quotient
        /// Torch7's `SpatialAveragePooling.c`: the divisor is the product over axes of
        /// min(start + k, n + pad) − start, which is 0 for a window starting exactly at the end
        /// (0 / 0 = NaN) and negative past it (0 + 0 / −m = +0).
        case torch7Extents
    }

    /// lp's gradient where a window's norm is 0.
    public enum LpZeroNorm: Sendable, Equatable {
        /// 0 (PyTorch's documented choice; poolserve's for ONNX, which has no gradient).
        case zero
        /// The formula's own value: xᵖ⁻¹ · 0^(1−p), so inf or NaN for p > 1, 1 for p = 1
        /// (Torch7's `Power` modules), except 0 for p = 2 (Torch7's `Sqrt.c` returns 0 where its
        /// output is 0).
        case torch7
    }

    public var maxScan: MaxScan
    public var emptyMax: EmptyMax
    public var divisor: Divisor
    public var emptyAverage: EmptyAverage
    /// lp: Σ|x|ᵖ (ONNX) or Σxᵖ (PyTorch, Torch7).
    public var lpAbsolute: Bool
    public var lpZeroNorm: LpZeroNorm
    /// How max indices are numbered.
    public var indexForm: IndexForm

    public init(maxScan: MaxScan, emptyMax: EmptyMax, divisor: Divisor, emptyAverage: EmptyAverage, lpAbsolute: Bool,
                lpZeroNorm: LpZeroNorm, indexForm: IndexForm) {
        self.maxScan = maxScan
        self.emptyMax = emptyMax
        self.divisor = divisor
        self.emptyAverage = emptyAverage
        self.lpAbsolute = lpAbsolute
        self.lpZeroNorm = lpZeroNorm
        self.indexForm = indexForm
    }
}
