/// The channels_first kernel layer: one (n, c) plane at a time, output row by output row, with
/// vector lanes along the output row. Lane i of a vector at output column ox0 reads input column
/// `(ox0 + i)·stride − padBegin + kx·dilation` of each of the row's input rows; for stride 1
/// that is one shifted load per tap, for stride 2 the even half of a double-width load (see
/// ``LaneStride``). Columns whose windows are not all real (near the borders) and rows of other
/// strides are computed one column at a time with the same rules.
///
/// Every op visits a window's taps in row-major order of the kernel offsets and accumulates in
/// the same order as the general path, so results agree with it bit for bit.
struct RowKernel {
    let windows: RowWindows
    /// The output columns that vectors of lanes run over: the interior (every tap real) at
    /// strides 1 and 2, none at other strides.
    let vectorColumns: Range<Int>
    /// Stride 2: whether a vector that holds the interior's last column would read past the end
    /// of its row. Its loads span 2·lanes cells from lane 0's tap, one cell past the last lane's
    /// (``LaneStride``); when the last column's last tap is the row's last cell, that cell is
    /// the next row's, and past the tensor on the last row of the last plane. Such a vector
    /// loads with ``LaneStride/Last`` instead: the same lanes from cells that end at the last
    /// lane's tap.
    let lastPassesRowEnd: Bool

    init(windows w: RowWindows) {
        windows = w
        vectorColumns = w.strideX <= 2 ? w.interior : 0..<0
        let last = w.interior.upperBound - 1
        lastPassesRowEnd = w.strideX == 2 && !w.interior.isEmpty && last * 2 - w.padX + (w.kernelX - 1) * w.dilationX + 1 > w.width - 1
    }

    /// Whether vectors of lanes run along rows of this stride.
    var vectorized: Bool { windows.strideX <= 2 }

    /// Calls `block(ox0)` for each vector of `lanes` output columns in ``vectorColumns``, and
    /// `column(ox)` for every other column, left to right. With `overlapTail`, a last partial
    /// vector is computed as the vector that ends at the last such column (recomputing some
    /// lanes: only for ops that write, never for ops that add). The vector that holds the last
    /// column is `last(ox0)`'s when ``lastPassesRowEnd`` (the op loads it with
    /// ``LaneStride/Last``). `cellsPerColumn` counts the work for `stop`; returns early when it
    /// says so.
    @inline(__always)
    func forEachColumn(lanes: Int, overlapTail: Bool, cellsPerColumn: Int, stop: inout StopCheck,
                       block: (Int) -> Void, last: (Int) -> Void, column: (Int) -> Void) {
        let w = windows
        let inner = vectorColumns
        guard inner.count >= lanes else {
            for ox in 0..<w.outWidth {
                column(ox)
                if stop.shouldStop(after: cellsPerColumn) { return }
            }
            return
        }
        for ox in 0..<inner.lowerBound { column(ox) }
        let blockEnd = lastPassesRowEnd ? inner.upperBound - 1 : inner.upperBound
        var ox = inner.lowerBound
        while ox + lanes <= blockEnd {
            block(ox)
            if stop.shouldStop(after: cellsPerColumn * lanes) { return }
            ox += lanes
        }
        if ox < inner.upperBound && (overlapTail || ox + lanes == inner.upperBound) {
            if lastPassesRowEnd { last(inner.upperBound - lanes) } else { block(inner.upperBound - lanes) }
            if stop.shouldStop(after: cellsPerColumn * (inner.upperBound - ox)) { return }
            ox = inner.upperBound
        }
        while ox < w.outWidth {
            column(ox)
            if stop.shouldStop(after: cellsPerColumn) { return }
            ox += 1
        }
    }

    /// The input column of lane 0's first tap for the vector at output column `ox0`.
    @inline(__always)
    func columnBase(_ ox0: Int) -> Int { ox0 * windows.strideX - windows.padX }
}
