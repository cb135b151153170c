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
                         planeBase: Int, rows: UnsafeMutablePointer<Int>, cellScratch: UnsafeMutablePointer<V.Index.Scalar>, _: V.Type) -> Int? {
        let w = windows
        var zero = ZeroAhead(grad, w)
        let shift = Int64(tensorSpace ? planeBase : 0)
        let limit = UInt64(w.inPlane)
        let inner = w.dilationX == 1 && w.strideX <= 2 && w.interior.count >= V.width ? w.interior : 0..<0
        let span = (w.kernelX - 1) * w.dilationX
        for q in 0..<w.outRows {
            let (count, _) = w.rows(of: q, into: rows)
            zero.cover(rows, count)
            let (iq, gq) = (indices + q &* w.outWidth, gy + q &* w.outWidth)
            var ox = 0
            while ox < w.outWidth {
                if ox >= inner.lowerBound && ox < inner.upperBound {
                    // The last vector of the interior ends at its end: its first lanes are checked
                    // again (checks repeat harmlessly), only the new ones add.
                    let start = Swift.min(ox, inner.upperBound - V.width)
                    if let cells = V.loadCells(iq + start, minus: shift) {
                        let base = start &* w.strideX &- w.padX
                        var hits = SIMDMask<V.Index>()
                        for r in 0..<count { V.mark(&hits, cells, start: rows[r] &+ base, laneStep: w.strideX, span: span) }
                        if V.all(hits) {
                            V.store(cells, cellScratch)
                            for i in (ox - start)..<V.width { grad[Int(cellScratch[i])] += gq[start &+ i] }
                            ox = start + V.width
                            continue
                        }
                    }
                }
                let v = iq[ox] &- shift
                let s = Int(truncatingIfNeeded: v)
                guard UInt64(bitPattern: v) < limit, w.contains(s, rows: rows, count: count, column: ox) else { return q * w.outWidth + ox }
                grad[s] += gq[ox]
                ox += 1
            }
        }
        zero.finish()
        return nil
    }

    /// One channels_last sample n: `grad[s·C + c] += gy[o·C + c]` for the cell s its index
    /// names (tensor space: (n·inPlane + s)·C + c). Returns the first element (o·C + c, within
    /// the sample) whose index is not a cell of its window, or nil. In plane space, vectors of
    /// `V.width` channels are checked together (their windows are the same), the rest one by one.
    @inline(__always)
    func sample<V: Lanes>(_ indices: UnsafePointer<Int64>, _ gy: UnsafePointer<V.Scalar>, _ grad: UnsafeMutablePointer<V.Scalar>,
                          sample n: Int, rows: UnsafeMutablePointer<Int>, cellScratch: UnsafeMutablePointer<V.Index.Scalar>, _: V.Type) -> Int? {
        let w = windows, cs = channels
        var zero = ZeroAhead(grad, w, elementsPerCell: cs)
        let limit = UInt64(w.inPlane)
        let sampleBase = Int64(n * w.inPlane * cs)
        let blocks = tensorSpace || w.dilationX != 1 ? 0 : cs / V.width
        for q in 0..<w.outRows {
            let (count, _) = w.rows(of: q, into: rows)
            zero.cover(rows, count)
            for ox in 0..<w.outWidth {
                let o = (q &* w.outWidth &+ ox) &* cs
                let (first, span) = (w.columns.first[ox], w.columns.span[ox])
                var c = 0
                for _ in 0..<blocks {
                    guard let cells = V.loadCells(indices + o + c, minus: 0) else { break }
                    var hits = SIMDMask<V.Index>()
                    for r in 0..<count { V.mark(&hits, cells, start: rows[r] + first, laneStep: 0, span: span) }
                    guard V.all(hits) else { break }
                    V.store(cells, cellScratch)
                    for i in 0..<V.width { grad[Int(cellScratch[i]) &* cs &+ c &+ i] += gy[o &+ c &+ i] }
                    c += V.width
                }
                while c < cs {
                    var v = indices[o &+ c]
                    if tensorSpace {
                        let offset = v &- sampleBase &- Int64(c)
                        guard offset >= 0, offset % Int64(cs) == 0 else { return o + c }
                        v = offset / Int64(cs)
                    }
                    let s = Int(truncatingIfNeeded: v)
                    guard UInt64(bitPattern: v) < limit, w.contains(s, rows: rows, count: count, column: ox) else { return o + c }
                    grad[s &* cs &+ c] += gy[o &+ c]
                    c += 1
                }
            }
        }
        zero.finish()
        return nil
    }
}
