/// Max backward from indices for fixed windows, both layouts: one pass over a plane (or a
/// channels_last sample) that checks every index against its own window and adds its gradient
/// at the cell it names, into a gradInput region zeroed just ahead (``ZeroAhead``), so that it is
/// written to memory once, while it is in cache.
struct IndexScatter {
    let windows: RowWindows
    let channels: Int
    let tensorSpace: Bool

    /// One channels_first plane: `grad[s] += gy[o]` for `s` = `indices[o]` (minus `planeBase` in
    /// tensor space). Returns the first o whose index is not a cell of its window, or nil.
    /// Vectors of `V.width` output columns whose windows are all real are checked together
    /// (stride 1 or 2, no dilation along the row), the others one by one.
    @inline(__always)
    func plane<V: Lanes>(_ indices: UnsafePointer<Int64>, _ gy: UnsafePointer<V.Scalar>, _ grad: UnsafeMutablePointer<V.Scalar>,
                         planeBase: Int, rows: UnsafeMutablePointer<Int>, _: V.Type) -> Int? {
        let w = windows
        let kernel = RowKernel(windows: w)
        var zero = ZeroAhead(grad, w)
        let shift = Int64(tensorSpace ? planeBase : 0)
        let limit = UInt64(w.inPlane)
        let vectorChecks = w.dilationX == 1 && w.strideX <= 2
        let span = (w.kernelX - 1) * w.dilationX
        var stop = StopCheck(nil)
        for q in 0..<w.outRows {
            let (count, _) = w.rows(of: q, into: rows)
            zero.cover(rows, count)
            let o0 = q &* w.outWidth
            var bad: Int?
            func column(_ ox: Int) {
                guard bad == nil else { return }
                let v = indices[o0 &+ ox] &- shift
                let s = Int(truncatingIfNeeded: v)
                guard UInt64(bitPattern: v) < limit, w.contains(s, rows: rows, count: count, column: ox) else { bad = o0 + ox; return }
                grad[s] += gy[o0 &+ ox]
            }
            kernel.forEachColumn(lanes: vectorChecks ? V.width : Int.max, overlapTail: false, cellsPerColumn: 0, stop: &stop) { ox0 in
                guard bad == nil else { return }
                let base = kernel.columnBase(ox0)
                if let cells = V.loadCells(indices + o0 + ox0, minus: shift) {
                    var hits = SIMDMask<V.Index>()
                    for r in 0..<count { V.mark(&hits, cells, start: rows[r] + base, laneStep: w.strideX, span: span) }
                    if V.all(hits) {
                        for i in 0..<V.width { grad[V.cell(cells, lane: i, laneStep: 0)] += gy[o0 + ox0 + i] }
                        return
                    }
                }
                for ox in ox0..<(ox0 + V.width) { column(ox) }
            } column: { ox in column(ox) }
            if let bad { return bad }
        }
        zero.finish()
        return nil
    }

    /// One channels_last sample n: `grad[s·C + c] += gy[o·C + c]` for the cell s its index
    /// names (tensor space: (n·inPlane + s)·C + c). Returns the first element (o·C + c, within
    /// the sample) whose index is not a cell of its window, or nil.
    @inline(__always)
    func sample<T: PoolScalar>(_ indices: UnsafePointer<Int64>, _ gy: UnsafePointer<T>, _ grad: UnsafeMutablePointer<T>,
                               sample n: Int, rows: UnsafeMutablePointer<Int>) -> Int? {
        let w = windows, cs = channels
        var zero = ZeroAhead(grad, w, elementsPerCell: cs)
        let limit = UInt64(w.inPlane)
        let sampleBase = Int64(n * w.inPlane * cs)
        for q in 0..<w.outRows {
            let (count, _) = w.rows(of: q, into: rows)
            zero.cover(rows, count)
            for ox in 0..<w.outWidth {
                let o = (q &* w.outWidth &+ ox) &* cs
                for c in 0..<cs {
                    var v = indices[o &+ c]
                    if tensorSpace {
                        let offset = v &- sampleBase &- Int64(c)
                        guard offset >= 0, offset % Int64(cs) == 0 else { return o + c }
                        v = offset / Int64(cs)
                    }
                    let s = Int(truncatingIfNeeded: v)
                    guard UInt64(bitPattern: v) < limit, w.contains(s, rows: rows, count: count, column: ox) else { return o + c }
                    grad[s &* cs &+ c] += gy[o &+ c]
                }
            }
        }
        zero.finish()
        return nil
    }
}
