/// The windows of fractional max pooling (Graham, 2014), given one of two ways.
///
/// **From samples (PyTorch).** Along an axis of n input cells with kernel k and output extent m,
/// a plane's sample u ∈ [0, 1) gives α = (n − k)/(m − 1) and window i < m − 1 starts at
/// ⌊(i + u)·α⌋ − ⌊u·α⌋; the last starts at n − k; each spans k cells. α and the products are
/// computed in the compute dtype (Float arithmetic for float32, as PyTorch's kernels do: it
/// changes which window some cells land in). Samples differ per (n, c) plane, so the windows do.
///
/// **From boundaries (TensorFlow).** Along each axis a pooling sequence b₀ = 0 < b₁ < … < b_m = n:
/// window i spans [bᵢ, bᵢ₊₁), or [bᵢ, bᵢ₊₁] clipped to the input when `overlapping`; the same for
/// every plane.
public struct FractionalWindows: Sendable, Equatable {
    /// How the windows are given.
    public enum Kind: Sendable, Equatable {
        /// `samples` holds d values per plane, plane-major ([N, C, d] row-major), in spatial order.
        case samples(kernel: [Int], outputSize: [Int], samples: [Double], singlePrecision: Bool)
        /// One pooling sequence of m + 1 boundaries per spatial axis.
        case boundaries([[Int]], overlapping: Bool)
    }

    public let kind: Kind

    /// Windows of `kind`.
    public init(_ kind: Kind) { self.kind = kind }

    /// The number of spatial dimensions.
    public var dimensions: Int {
        switch kind {
        case .samples(let kernel, _, _, _): return kernel.count
        case .boundaries(let b, _): return b.count
        }
    }

    /// The output extent of `axis`.
    func outputSize(axis: Int) -> Int {
        switch kind {
        case .samples(_, let size, _, _): return size[axis]
        case .boundaries(let b, _): return b[axis].count - 1
        }
    }

    /// Whether the windows are the same for every plane.
    public var samePerPlane: Bool {
        if case .boundaries = kind { return true }
        return false
    }

    /// PyTorch's window starts along one axis for sample `u` (see the type's doc comment).
    public static func starts(sample u: Double, inputSize n: Int, outputSize m: Int, kernel k: Int, singlePrecision: Bool) -> [Int] {
        var starts = [Int](repeating: n - k, count: m)
        guard m > 1 else { return starts }
        if singlePrecision {
            let (uf, alpha) = (Float(u), Float(n - k) / Float(m - 1))
            let offset = Int((uf * alpha).rounded(.towardZero))
            for i in 0..<(m - 1) { starts[i] = Int(((Float(i) + uf) * alpha).rounded(.towardZero)) - offset }
        } else {
            let alpha = Double(n - k) / Double(m - 1)
            let offset = Int((u * alpha).rounded(.towardZero))
            for i in 0..<(m - 1) { starts[i] = Int(((Double(i) + u) * alpha).rounded(.towardZero)) - offset }
        }
        return starts
    }

    /// The windows of `axis` for `plane` (a plane's sample picks them; boundaries do not).
    func axis(_ axis: Int, size n: Int, plane: Int) -> AxisWindows {
        switch kind {
        case .samples(let kernel, let outputSize, let samples, let single):
            let d = kernel.count
            let u = samples.isEmpty ? 0 : samples[(plane * d + axis) % samples.count]
            let first = Self.starts(sample: u, inputSize: n, outputSize: outputSize[axis], kernel: kernel[axis], singlePrecision: single)
            return AxisWindows(size: n, first: first, count: [Int](repeating: kernel[axis], count: first.count))
        case .boundaries(let all, let overlapping):
            let b = all[axis]
            let m = b.count - 1
            let first = Array(b.prefix(m))
            let count = (0..<m).map { i in overlapping ? Swift.min(b[i + 1], n - 1) - b[i] + 1 : b[i + 1] - b[i] }
            return AxisWindows(size: n, first: first, count: count)
        }
    }

    /// The most cells of one window along `axis` (of `n` cells).
    func widest(axis: Int, size n: Int) -> Int {
        switch kind {
        case .samples(let kernel, _, _, _): return kernel[axis]
        case .boundaries: return self.axis(axis, size: n, plane: 0).count.max() ?? 0
        }
    }

    /// What is wrong with these windows over `spatial`, or nil: each message names the axis
    /// and the values (the API checks the same before, naming its fields).
    public func problem(spatial: [Int]) -> (axis: Int, message: String)? {
        switch kind {
        case .samples(let kernel, let outputSize, let samples, _):
            for (a, n) in spatial.enumerated() {
                let (k, m) = (kernel[a], outputSize[a])
                if m < 1 { return (a, "spatial dimension \(a): the fractional output size must be ≥ 1, got \(m)") }
                if k > n || m > n - k + 1 {
                    return (a, "spatial dimension \(a): output size \(m) with kernel \(k) needs an input of at least \(m + k - 1), got \(n) (the output may be at most the input minus the kernel plus one)")
                }
            }
            if let bad = samples.first(where: { !($0 >= 0 && $0 < 1) }) { return (0, "fractional samples must lie in [0, 1), got \(bad)") }
        case .boundaries(let all, _):
            for (a, n) in spatial.enumerated() {
                let b = all[a]
                if b.count < 2 { return (a, "spatial dimension \(a): boundaries need at least 2 values (0 and the input size \(n)), got \(b.count)") }
                if b.first != 0 { return (a, "spatial dimension \(a): boundaries must start at 0, got \(b[0])") }
                if b.last != n { return (a, "spatial dimension \(a): boundaries must end at the input size \(n), got \(b[b.count - 1])") }
                if let i = (1..<b.count).first(where: { b[$0] <= b[$0 - 1] }) {
                    return (a, "spatial dimension \(a): boundaries must increase, but value \(i) (\(b[i])) is not above value \(i - 1) (\(b[i - 1]))")
                }
            }
        }
        return nil
    }
}
