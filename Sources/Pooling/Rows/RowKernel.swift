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
    /// stride 1; at stride 2 the interior less a last column whose last tap is the row's last
    /// cell, since a stride-2 vector's loads span 2·lanes cells, one past its last lane's tap
    /// (``LaneStride``), which would be past the tensor on the last row of its last plane.
    /// Empty at other strides.
    let vectorColumns: Range<Int>

    init(windows: RowWindows) {
        self.windows = windows
        vectorColumns = Self.vectorColumns(windows)
    }

    static func vectorColumns(_ w: RowWindows) -> Range<Int> {
        switch w.strideX {
        case 1:
            return w.interior
        case 2:
            // Column ox's loads of tap j read up to its last lane's tap + 1 for ox the vector's
            // last column: (ox·2 − pad + j·dilation) + 1, at most the row's last cell.
            var end = w.interior.upperBound
            while end > w.interior.lowerBound && (end - 1) * 2 - w.padX + (w.kernelX - 1) * w.dilationX + 1 > w.width - 1 { end -= 1 }
            return w.interior.lowerBound..<end
        default:
            return 0..<0
        }
    }

    /// Whether vectors of lanes run along rows of this stride.
    var vectorized: Bool { windows.strideX <= 2 }

    /// Calls `block(ox0)` for each vector of `lanes` output columns in ``vectorColumns`` (their
    /// windows all real, their loads inside the row), and `column(ox)` for every other column,
    /// left to right. With `overlapTail`, a last partial vector is computed as the vector that
    /// ends at the last such column (recomputing some lanes: only for ops that write, never for
    /// ops that add). `cellsPerColumn` counts the work for `stop`; returns early when it says so.
    @inline(__always)
    func forEachColumn(lanes: Int, overlapTail: Bool, cellsPerColumn: Int, stop: inout StopCheck,
                       block: (Int) -> Void, column: (Int) -> Void) {
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
        var ox = inner.lowerBound
        while ox + lanes <= inner.upperBound {
            block(ox)
            if stop.shouldStop(after: cellsPerColumn * lanes) { return }
            ox += lanes
        }
        if ox < inner.upperBound && overlapTail {
            block(inner.upperBound - lanes)
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
