/// How the input is padded before windows are laid over it.
public enum Padding: Sendable, Equatable {
    /// Explicit cells before and after each spatial dimension (ONNX `pads`; PyTorch's when equal).
    case explicit(begin: [Int], end: [Int])
    /// No padding.
    case valid
    /// Output = ⌈in / stride⌉, the total padding split with the odd cell at the end
    /// (ONNX SAME_UPPER, TensorFlow SAME).
    case same
    /// As ``same`` with the odd cell at the beginning (ONNX SAME_LOWER).
    case sameLower

    /// Padding `p[a]` on both sides of spatial dimension a (PyTorch's `padding`).
    public static func symmetric(_ p: [Int]) -> Padding { .explicit(begin: p, end: p) }

    /// The (begin, end) padding of one dimension of `size` cells with the given window.
    ///
    /// For `same`: total = max(0, (⌈n/s⌉ − 1)·s + (k − 1)·d + 1 − n), begin = ⌊total/2⌋
    /// (``sameLower``: ⌈total/2⌉).
    func amounts(axis: Int, size: Int, kernel: Int, stride: Int, dilation: Int) -> (begin: Int, end: Int) {
        switch self {
        case .explicit(let begin, let end): return (begin[axis], end[axis])
        case .valid: return (0, 0)
        case .same, .sameLower:
            let out = (size + stride - 1) / stride
            let total = max(0, (out - 1) * stride + (kernel - 1) * dilation + 1 - size)
            return self == .same ? (total / 2, total - total / 2) : (total - total / 2, total / 2)
        }
    }
}
