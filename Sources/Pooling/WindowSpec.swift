/// How pooling windows are placed over the spatial dimensions.
public enum WindowSpec: Sendable, Equatable {
    /// Fixed windows: `kernel` cells `dilation` apart, every `stride` cells, over the padded input.
    /// `ceilMode` rounds the output size up, dropping a last window that would start in the end
    /// padding or beyond (PyTorch's rule). All arrays have one entry per spatial dimension.
    case fixed(kernel: [Int], stride: [Int], padding: Padding, dilation: [Int], ceilMode: Bool)
    /// Adaptive windows (PyTorch): window i of `outputSize[a]` over n cells spans
    /// [⌊i·n/out⌋, ⌈(i+1)·n/out⌉).
    case adaptive(outputSize: [Int])
    /// One window over all spatial dimensions.
    case global
    /// Fractional max pooling's pseudo-random windows (``FractionalWindows``).
    case fractional(FractionalWindows)

    /// The number of spatial dimensions the spec names, or nil for ``global`` (any).
    public var dimensions: Int? {
        switch self {
        case .fixed(let kernel, _, _, _, _): return kernel.count
        case .adaptive(let size): return size.count
        case .global: return nil
        case .fractional(let windows): return windows.dimensions
        }
    }
}
