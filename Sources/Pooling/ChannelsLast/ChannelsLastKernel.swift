/// The channels_last kernel layer: one output position (n, q, ox) at a time, with vector lanes
/// over consecutive channels, so that every load and store is contiguous. Channel c of output
/// (n, o) is at `((n·outPlane) + o)·C + c`, input cell s of sample n at `(n·inPlane + s)·C + c`.
///
/// A window's taps are visited in row-major order of the kernel offsets (``RowWindows``), and
/// channels past the last full vector are computed one at a time, so results agree with the
/// general path bit for bit.
struct ChannelsLastKernel {
    let windows: RowWindows
    let channels: Int

    /// Calls `block(c0)` for each vector of `lanes` channels and `channel(c)` for the rest; with
    /// `overlapTail`, a last partial vector is the vector that ends at the last channel (for
    /// ops that write, never for ops that add).
    @inline(__always)
    func forEachChannel(lanes: Int, overlapTail: Bool, block: (Int) -> Void, channel: (Int) -> Void) {
        var c = 0
        while c + lanes <= channels {
            block(c)
            c += lanes
        }
        guard c < channels else { return }
        if overlapTail && channels >= lanes {
            block(channels - lanes)
            return
        }
        while c < channels {
            channel(c)
            c += 1
        }
    }

    /// The real columns of output column `ox`'s window: its taps are
    /// `rows[r] + first + j·dilation` for r in 0..<rowCount and j in 0..<count.
    @inline(__always)
    func column(_ ox: Int) -> (first: Int, count: Int) { (windows.columns.first[ox], windows.columns.count[ox]) }

    /// Calls `body(q, rowCount, paddedRows, &stop)` for the output rows `q` in `range`, after
    /// writing each one's input rows to `rows`; stops when `stop` says so.
    /// With `zeroing` (a sample's gradient or mask, when `range` is all its rows), each part is
    /// zeroed just ahead of the rows that add into it (``ZeroAhead``).
    @inline(__always)
    func forEachRow<T: PoolScalar>(_ range: Range<Int>, _ rows: UnsafeMutablePointer<Int>, zeroing: UnsafeMutablePointer<T>?,
                                   stop: inout StopCheck, _ body: (Int, Int, Int, inout StopCheck) -> Void) {
        var zero = ZeroAhead(zeroing, windows, elementsPerCell: channels)
        for q in range where !stop.stopped {
            let (count, padded) = windows.rows(of: q, into: rows)
            zero.cover(rows, count)
            body(q, count, padded, &stop)
        }
        zero.finish()
    }
}
