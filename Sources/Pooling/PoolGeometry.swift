/// The shapes of one pooling call: input, output, and where every window lies.
///
/// For a fixed window along one axis with n input cells, kernel k, stride s, dilation d and
/// padding (b, e), the effective kernel is K = d·(k − 1) + 1 and the output size is
/// ⌊(n + b + e − K) / s⌋ + 1 (in ceil mode ⌊(n + b + e − K + s − 1) / s⌋ + 1 rounding toward −∞,
/// minus one when the last window would start at or past n + b; see
/// ``outputSize(axis:size:kernel:stride:dilation:padding:ceilMode:)``). Window o's taps are
/// o·s − b + j·d for j in 0..<k; only taps in [0, n) are real, taps in [−b, n + e) count as
/// padding, and ceil mode's taps past n + e count as neither.
public struct PoolGeometry: Sendable, Equatable {
    /// The input shape, (N, C, D1…Dd) or (N, D1…Dd, C) by ``layout``.
    public let inputShape: [Int]
    /// The output shape, in the same layout.
    public let outputShape: [Int]
    public let layout: Layout
    public let window: WindowSpec
    /// Per spatial axis: the (begin, end) padding actually applied.
    public let padding: [(begin: Int, end: Int)]
    /// How ceil mode treats a last window that would start in the end padding.
    public let ceilRule: CeilRule
    /// Whether a window may hold no real cell (a framework convention says what it gives).
    public let allowsEmptyWindows: Bool

    public static func == (a: PoolGeometry, b: PoolGeometry) -> Bool {
        a.inputShape == b.inputShape && a.outputShape == b.outputShape && a.layout == b.layout
            && a.window == b.window && a.padding.map { [$0.begin, $0.end] } == b.padding.map { [$0.begin, $0.end] }
            && a.ceilRule == b.ceilRule && a.allowsEmptyWindows == b.allowsEmptyWindows
    }

    /// N.
    public var batch: Int { inputShape[0] }
    /// C.
    public var channels: Int { layout == .channelsFirst ? inputShape[1] : inputShape[inputShape.count - 1] }
    /// D1…Dd of the input.
    public var inputSpatial: [Int] { layout == .channelsFirst ? Array(inputShape.dropFirst(2)) : Array(inputShape.dropFirst().dropLast()) }
    /// D1…Dd of the output.
    public var outputSpatial: [Int] { layout == .channelsFirst ? Array(outputShape.dropFirst(2)) : Array(outputShape.dropFirst().dropLast()) }
    /// Number of input elements.
    public var inputCount: Int { inputShape.reduce(1, *) }
    /// Number of output elements.
    public var outputCount: Int { outputShape.reduce(1, *) }
    /// The most window cells (taps, padding included) of one window.
    public let windowCells: Int
    /// Output elements × window cells: the work of one pass, an upper bound.
    public let work: Int

    /// Computes the geometry, checking every dimension.
    ///
    /// - Parameters:
    ///   - ceilRule: which last windows ceil mode drops (PyTorch's rule by default).
    ///   - allowsEmptyWindows: false throws ``GeometryError/Kind/windowOutsideInput`` for a window
    ///     that holds only padding; true leaves it to the caller's convention.
    ///   - maxOutputElements: outputs above this count throw ``GeometryError/Kind/tooLarge``
    ///     before any per-window work, so a caller can bound memory.
    public init(inputShape: [Int], layout: Layout, window: WindowSpec, ceilRule: CeilRule = .dropStartingInPadding,
                allowsEmptyWindows: Bool = false, maxOutputElements: Int = .max) throws(GeometryError) {
        let d = inputShape.count - 2
        guard d >= 1 else {
            throw GeometryError(.rank, axis: nil, "input must have rank ≥ 3 (N, C and at least one spatial dimension), got rank \(inputShape.count)")
        }
        if let wanted = window.dimensions, wanted != d {
            throw GeometryError(.rank, axis: nil, "the window has \(wanted) spatial dimension(s) but the input of rank \(inputShape.count) has \(d)")
        }
        for (i, n) in inputShape.enumerated() where n < 1 {
            throw GeometryError(.emptyDimension, axis: nil, "input dimension \(i) is \(n); every dimension must be ≥ 1")
        }
        self.inputShape = inputShape
        self.layout = layout
        self.window = window
        self.ceilRule = ceilRule
        self.allowsEmptyWindows = allowsEmptyWindows
        let spatial = layout == .channelsFirst ? Array(inputShape.dropFirst(2)) : Array(inputShape.dropFirst().dropLast())
        var outSpatial: [Int] = []
        var pads: [(begin: Int, end: Int)] = []
        var cells = 1
        // Torch7 drops a window starting in the end padding only when some axis is padded.
        let padded: Bool = {
            guard case .fixed(let kernel, let stride, let padding, let dilation, _) = window else { return false }
            return (0..<d).contains { a in
                let (b, e) = padding.amounts(axis: a, size: spatial[a], kernel: kernel[a], stride: stride[a], dilation: dilation[a])
                return b != 0 || e != 0
            }
        }()
        let drops = ceilRule == .dropStartingInPadding || (ceilRule == .dropWhenPadded && padded)
        for axis in 0..<d {
            let n = spatial[axis]
            switch window {
            case .global:
                outSpatial.append(1)
                pads.append((0, 0))
                cells = try Self.product(cells, n, "window cells")
            case .adaptive(let size):
                guard size[axis] >= 1 else {
                    throw GeometryError(.emptyOutput, axis: axis, "output size of spatial dimension \(axis) must be ≥ 1, got \(size[axis])")
                }
                outSpatial.append(size[axis])
                pads.append((0, 0))
                // The widest adaptive window along this axis: ⌈n/out⌉ + 1 bounds it.
                cells = try Self.product(cells, min(n, (n + size[axis] - 1) / size[axis] + 1), "window cells")
            case .fractional(let windows):
                if let problem = windows.problem(spatial: spatial) {
                    throw GeometryError(.fractional, axis: problem.axis, problem.message)
                }
                outSpatial.append(windows.outputSize(axis: axis))
                pads.append((0, 0))
                cells = try Self.product(cells, windows.widest(axis: axis, size: n), "window cells")
            case .fixed(let kernel, let stride, let padding, let dilation, let ceilMode):
                let (k, s, dl) = (kernel[axis], stride[axis], dilation[axis])
                let (b, e) = padding.amounts(axis: axis, size: n, kernel: k, stride: s, dilation: dl)
                let out = try Self.outputSize(axis: axis, size: n, kernel: k, stride: s, dilation: dl, padding: (b, e), ceilMode: ceilMode,
                                              dropsLastWindow: drops)
                outSpatial.append(out)
                pads.append((b, e))
                cells = try Self.product(cells, k, "window cells")
            }
        }
        var outShape = [inputShape[0]]
        if layout == .channelsFirst { outShape.append(inputShape[1]) }
        outShape += outSpatial
        if layout == .channelsLast { outShape.append(inputShape[inputShape.count - 1]) }
        var outCount = 1
        for x in outShape { outCount = try Self.product(outCount, x, "output elements") }
        guard outCount <= maxOutputElements else {
            throw GeometryError(.tooLarge, axis: nil, "the output would have \(outCount) elements (shape \(outShape)), above the limit of \(maxOutputElements)")
        }
        self.outputShape = outShape
        self.padding = pads
        self.windowCells = cells
        self.work = try Self.product(outCount, cells, "work (output elements × window cells)")
        if !allowsEmptyWindows { try checkWindowsHoldInput(spatial: spatial, outSpatial: outSpatial) }
    }

    /// The output size of one fixed-window axis (PyTorch's rule): with the effective kernel
    /// K = d·(k − 1) + 1, ⌊(n + b + e − K + (ceil ? s − 1 : 0)) / s⌋ + 1 rounding toward −∞, and in
    /// ceil mode one less when the last window would start at or past n + b (unless
    /// `dropsLastWindow` is false: Torch7 without padding). Valid when ≥ 1, so
    /// in ceil mode a window may be longer than the padded input: its cells past the padded
    /// border are neither real nor padding.
    static func outputSize(axis: Int, size n: Int, kernel k: Int, stride s: Int, dilation d: Int,
                           padding: (begin: Int, end: Int), ceilMode: Bool, dropsLastWindow: Bool = true) throws(GeometryError) -> Int {
        let (b, e) = padding
        // Every term fits in Int for the sizes a caller can hold; the product is checked anyway.
        let extent = try product(d, k - 1, "the effective kernel (dilation × (kernel − 1))") + 1
        let numerator = n + b + e - extent + (ceilMode ? s - 1 : 0)
        let quotient = numerator >= 0 ? numerator / s : -((-numerator + s - 1) / s)
        var out = quotient + 1
        if ceilMode && dropsLastWindow && out >= 1 && (out - 1) * s >= n + b { out -= 1 }
        guard out >= 1 else {
            throw GeometryError(.emptyOutput, axis: axis,
                "spatial dimension \(axis): input size \(n) with padding \(b)+\(e) is too small for the effective kernel \(extent) (kernel \(k), dilation \(d), stride \(s)\(ceilMode ? ", ceil mode" : "")); the output size would be below 1")
        }
        return out
    }

    /// Throws when some window of some axis has no real input cell.
    private func checkWindowsHoldInput(spatial: [Int], outSpatial: [Int]) throws(GeometryError) {
        guard case .fixed(let kernel, let stride, _, let dilation, _) = window else { return }
        for axis in 0..<spatial.count {
            let axisWindows = AxisWindows(size: spatial[axis], outputSize: outSpatial[axis], kernel: kernel[axis],
                                          stride: stride[axis], dilation: dilation[axis], padding: padding[axis])
            for o in 0..<outSpatial[axis] where axisWindows.count[o] == 0 {
                throw GeometryError(.windowOutsideInput, axis: axis,
                    "spatial dimension \(axis): window \(o) (input size \(spatial[axis]), kernel \(kernel[axis]), stride \(stride[axis]), dilation \(dilation[axis]), padding \(padding[axis].begin)+\(padding[axis].end)) covers only padding")
            }
        }
    }

    /// a·b, or a ``GeometryError/Kind/overflow`` error naming `what` on overflow.
    static func product(_ a: Int, _ b: Int, _ what: String) throws(GeometryError) -> Int {
        let (r, overflow) = a.multipliedReportingOverflow(by: b)
        guard !overflow else { throw GeometryError(.overflow, axis: nil, "\(what) overflow a 64-bit integer (\(a) × \(b))") }
        return r
    }

    /// The per-axis window tables.
    func axisWindows(plane: Int = 0) -> [AxisWindows] {
        let spatial = inputSpatial, outSpatial = outputSpatial
        return (0..<spatial.count).map { axis in
            switch window {
            case .fractional(let windows):
                return windows.axis(axis, size: spatial[axis], plane: plane)
            case .global:
                return AxisWindows(size: spatial[axis], outputSize: 1)
            case .adaptive:
                return AxisWindows(size: spatial[axis], outputSize: outSpatial[axis])
            case .fixed(let kernel, let stride, _, let dilation, _):
                return AxisWindows(size: spatial[axis], outputSize: outSpatial[axis], kernel: kernel[axis],
                                   stride: stride[axis], dilation: dilation[axis], padding: padding[axis])
            }
        }
    }
}
