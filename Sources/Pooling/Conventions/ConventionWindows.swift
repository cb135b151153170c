/// Every cell of every window of a fixed-window geometry, padding and ceil mode's overhang
/// included, in row-major kernel order: what a framework convention's rules are applied to.
///
/// Along an axis with n input cells, kernel k, stride s, dilation d and padding (b, e), tap j of
/// window o lies at t = o·s − b + j·d: a real cell when 0 ≤ t < n, padding when −b ≤ t < n + e,
/// otherwise overhang. A tap is real when it is real on every axis, overhang when it is overhang
/// on some axis, and padding otherwise.
struct ConventionWindows {
    enum Kind: UInt8 { case real, padding, overhang }

    let inputDims: [Int]
    let outputDims: [Int]
    let kernel: [Int]
    let stride: [Int]
    let dilation: [Int]
    let padding: [(begin: Int, end: Int)]
    /// Cells per window (the product of the kernel).
    let cells: Int

    init(_ g: PoolGeometry) {
        inputDims = g.inputSpatial
        outputDims = g.outputSpatial
        padding = g.padding
        switch g.window {
        case .fixed(let k, let s, _, let d, _):
            (kernel, stride, dilation) = (k, s, d)
        default:
            // Global: one window of the whole input (validation admits no other form under a convention).
            (kernel, stride, dilation) = (inputDims, inputDims.map { _ in 1 }, inputDims.map { _ in 1 })
        }
        cells = kernel.reduce(1, *)
    }

    /// A window's taps: `kinds[t]` and, for real taps, `cells[t]` the row-major spatial index.
    struct Taps {
        var kinds: [Kind]
        var cells: [Int]
        var count: Int { kinds.count }
    }

    /// Fills `taps` with the taps of output cell `o` (row-major over the output's spatial dims).
    func taps(of o: Int, into taps: inout Taps) {
        let d = inputDims.count
        var start = [Int](repeating: 0, count: d)
        var rest = o
        for a in Swift.stride(from: d - 1, through: 0, by: -1) {
            start[a] = (rest % outputDims[a]) * self.stride[a] - padding[a].begin
            rest /= outputDims[a]
        }
        taps.kinds.removeAll(keepingCapacity: true)
        taps.cells.removeAll(keepingCapacity: true)
        var j = [Int](repeating: 0, count: d)
        for _ in 0..<cells {
            var kind = Kind.real
            var s = 0
            for a in 0..<d {
                let t = start[a] + j[a] * dilation[a]
                let n = inputDims[a]
                if t < 0 || t >= n {
                    if t < -padding[a].begin || t >= n + padding[a].end { kind = .overhang } else if kind == .real { kind = .padding }
                }
                s = s * n + t
            }
            taps.kinds.append(kind)
            taps.cells.append(kind == .real ? s : -1)
            var a = d - 1
            while a >= 0 {
                j[a] += 1
                if j[a] < kernel[a] { break }
                j[a] = 0
                a -= 1
            }
        }
    }

    /// Torch7's average divisor with `count_include_pad` before it looks at the cells: the
    /// product over axes of min(start + k, n + pad) − start (negative past the padded end).
    func torch7Extents(of o: Int) -> Int {
        var rest = o, product = 1
        for a in Swift.stride(from: inputDims.count - 1, through: 0, by: -1) {
            let start = (rest % outputDims[a]) * stride[a] - padding[a].begin
            rest /= outputDims[a]
            product *= min(start + kernel[a], inputDims[a] + padding[a].end) - start
        }
        return product
    }
}
