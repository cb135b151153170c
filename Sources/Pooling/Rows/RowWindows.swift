/// The windows of a fixed-window geometry as rows: the last spatial axis is the row (x); the
/// other ("outer") axes give each output row the list of input rows its windows read.
///
/// Output row q (a position along the outer axes, row-major) reads the input rows whose outer
/// coordinates are its windows' real outer taps, listed in row-major order of the kernel
/// offsets; output column ox reads, in each of those rows, the real columns
/// `x.first[ox] + j·dilation` for j in 0..<`x.count[ox]`. Row-major order of the kernel offsets
/// is therefore "rows in list order, columns left to right", the scan order of max's rules.
/// Cells are numbered within one plane, D1…Dd row-major.
struct RowWindows {
    /// The outer axes' windows (all spatial axes but the last).
    let outer: [AxisWindows]
    /// The outer output sizes.
    let outerOutput: [Int]
    /// Cells between neighbouring coordinates of each outer axis.
    let outerStrides: [Int]
    /// The row axis's windows, per output column.
    let columns: ColumnTable
    let kernelX: Int, strideX: Int, dilationX: Int, padX: Int
    /// Input and output row lengths.
    let width: Int, outWidth: Int
    /// Output rows per plane.
    let outRows: Int
    /// Cells per input and output plane.
    let inPlane: Int, outPlane: Int
    /// The output columns whose `kernelX` taps are all real: vectors of lanes run over these.
    let interior: Range<Int>
    /// The most input rows of one output row's windows.
    let maxRows: Int

    /// The rows of `g`, or nil when its windows are not fixed.
    init?(_ g: PoolGeometry) {
        guard case .fixed(let kernel, let stride, _, let dilation, _) = g.window else { return nil }
        let axes = g.axisWindows()
        let d = axes.count
        let spatial = g.inputSpatial, outSpatial = g.outputSpatial
        outer = Array(axes.dropLast())
        outerOutput = Array(outSpatial.dropLast())
        var strides = [Int](repeating: 1, count: d)
        for a in Swift.stride(from: d - 2, through: 0, by: -1) { strides[a] = strides[a + 1] * spatial[a + 1] }
        outerStrides = Array(strides.dropLast())
        columns = ColumnTable(axes[d - 1])
        (kernelX, strideX, dilationX, padX) = (kernel[d - 1], stride[d - 1], dilation[d - 1], g.padding[d - 1].begin)
        (width, outWidth) = (spatial[d - 1], outSpatial[d - 1])
        outRows = outerOutput.reduce(1, *)
        inPlane = spatial.reduce(1, *)
        outPlane = outSpatial.reduce(1, *)
        let (xAxis, kx, sx, px, ow) = (axes[d - 1], kernel[d - 1], stride[d - 1], g.padding[d - 1].begin, outSpatial[d - 1])
        let full = (0..<ow).filter { xAxis.count[$0] == kx && xAxis.first[$0] == $0 * sx - px }
        interior = full.isEmpty ? 0..<0 : full.first!..<(full.last! + 1)
        maxRows = outer.reduce(1) { $0 * ($1.count.max() ?? 1) }
    }

    /// Writes the input rows of output row `q` (each as the plane cell of its column 0) to
    /// `rows`, in row-major order of the kernel offsets; returns their number and the product of
    /// the outer axes' padded cell counts (avg's countIncludePad factor).
    @inline(__always)
    func rows(of q: Int, into rows: UnsafeMutablePointer<Int>) -> (count: Int, padded: Int) {
        var n = 1, padded = 1
        rows[0] = 0
        var divisor = outRows
        for a in 0..<outer.count {
            divisor /= outerOutput[a]
            // The last outer axis (the only one in 2-D) needs no division.
            let o = a == outer.count - 1 ? q % outerOutput[a] : (q / divisor) % outerOutput[a]
            let axis = outer[a]
            let (c, step, base) = (axis.count[o], axis.step * outerStrides[a], axis.first[o] * outerStrides[a])
            padded *= axis.paddedCount[o]
            // Expand in place from the back: earlier axes stay the outer loop (row-major order).
            var i = n - 1
            while i >= 0 {
                let v = rows[i] + base
                var j = c - 1
                while j >= 0 { rows[i * c + j] = v + j * step; j -= 1 }
                i -= 1
            }
            n *= c
        }
        return (n, padded)
    }

    /// Whether plane cell `s` is a tap of the window of output column `ox` over `rows` (the input
    /// rows of its output row). A cell lies in at most one row's span: spans are shorter than a row.
    @inline(__always)
    func contains(_ s: Int, rows: UnsafePointer<Int>, count: Int, column ox: Int) -> Bool {
        let (first, span) = (columns.first[ox], columns.span[ox])
        if count <= 8 && dilationX == 1 {
            // Without branches: which row holds a window's maximum is as random as the data.
            var hits = 0
            for r in 0..<count { hits |= UInt(bitPattern: s &- rows[r] &- first) <= UInt(bitPattern: span) ? 1 : 0 }
            return hits != 0
        }
        if count <= 8 {
            for r in 0..<count {
                let offset = s &- rows[r] &- first
                if UInt(bitPattern: offset) <= UInt(bitPattern: span) { return offset % dilationX == 0 }
            }
            return false
        }
        // Many rows: the column by division, the row by binary search (rows ascend).
        let column = s % width
        let offset = column - first
        guard offset >= 0, offset <= span, dilationX == 1 || offset % dilationX == 0 else { return false }
        let row = s - column
        var (lo, hi) = (0, count)
        while lo < hi {
            let mid = (lo + hi) / 2
            if rows[mid] < row { lo = mid + 1 } else { hi = mid }
        }
        return lo < count && rows[lo] == row
    }
}
