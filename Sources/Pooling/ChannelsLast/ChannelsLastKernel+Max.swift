extension ChannelsLastKernel {
    /// The running maximum under `R` of channels `c0..<c0 + width` of one window (sample base
    /// `x`), and each lane's selected cell.
    @inline(__always)
    func selectLanes<V: Lanes, R: MaxRule>(_ x: UnsafePointer<V.Scalar>, _ rows: UnsafePointer<Int>, _ rowCount: Int,
                                           first: Int, count: Int, channel c0: Int, _: V.Type, _: R.Type) -> (V, V.Index) {
        let (cs, dx) = (channels, windows.dilationX)
        let step = dx &* cs
        var t = rows[0] &+ first
        var p = x + (t &* cs &+ c0)
        var m = V.load(p)
        var index = V.splatIndex(t)
        for _ in 1..<count {
            t &+= dx
            p += step
            V.step(&m, &index, V.load(p), cell: t, R.self)
        }
        for r in 1..<rowCount {
            t = rows[r] &+ first
            p = x + (t &* cs &+ c0)
            for _ in 0..<count {
                V.step(&m, &index, V.load(p), cell: t, R.self)
                t &+= dx
                p += step
            }
        }
        return (m, index)
    }

    /// ``selectLanes(_:_:_:first:count:channel:_:_:)`` without the cells.
    @inline(__always)
    func maxLanes<V: Lanes, R: MaxRule>(_ x: UnsafePointer<V.Scalar>, _ rows: UnsafePointer<Int>, _ rowCount: Int,
                                        first: Int, count: Int, channel c0: Int, _: V.Type, _: R.Type) -> V {
        let (cs, dx) = (channels, windows.dilationX)
        let step = dx &* cs
        var p = x + ((rows[0] &+ first) &* cs &+ c0)
        var m = V.load(p)
        var nan = SIMDMask<V.Index>()  // a NaN first tap stays in m: nothing beats it
        for _ in 1..<count {
            p += step
            V.step(&m, &nan, V.load(p), R.self)
        }
        for r in 1..<rowCount {
            p = x + ((rows[r] &+ first) &* cs &+ c0)
            for _ in 0..<count {
                V.step(&m, &nan, V.load(p), R.self)
                p += step
            }
        }
        return V.finish(m, nan, R.self)
    }

    /// The selected cell under `R` of channel `c` of one window (sample base `x`).
    @inline(__always)
    func selectCell<T: PoolScalar, R: MaxRule>(_ x: UnsafePointer<T>, _ rows: UnsafePointer<Int>, _ rowCount: Int,
                                               first: Int, count: Int, channel c: Int, _: R.Type) -> Int {
        let (cs, dx) = (channels, windows.dilationX)
        var best = rows[0] + first
        var m = x[best * cs + c]
        for r in 0..<rowCount {
            var t = rows[r] + first
            for _ in 0..<count {
                let v = x[t * cs + c]
                let take = R.takes(v, over: m)
                m = take ? v : m
                best = take ? t : best
                t += dx
            }
        }
        return best
    }

    /// Max forward over output rows `range` of sample n (`x`, `y`, `cells`: the sample's
    /// input, output and index bases): values, and when given the selected cells (plane space:
    /// s; tensor space: (n·inPlane + s)·C + c, with `cellBase` = n·inPlane·C) and `mask` (the
    /// sample's, zeroed here; `range` is then all its rows) incremented at each selected element.
    @inline(__always)
    func maxForward<V: Lanes, R: MaxRule>(_ x: UnsafePointer<V.Scalar>, _ y: UnsafeMutablePointer<V.Scalar>, rows range: Range<Int>,
                                          cells: UnsafeMutablePointer<Int64>?, tensorSpace: Bool, cellBase: Int,
                                          mask: UnsafeMutablePointer<V.Scalar>?, scratch rows: UnsafeMutablePointer<Int>,
                                          stop: inout StopCheck, _: V.Type, _: R.Type) {
        let w = windows, cs = channels
        forEachRow(range, rows, zeroing: mask, stop: &stop) { q, rowCount, _, stop in
            for ox in 0..<w.outWidth {
                let (first, count) = column(ox)
                let o = (q * w.outWidth + ox) * cs
                forEachChannel(lanes: V.width, overlapTail: mask == nil) { c0 in
                    if cells == nil && mask == nil {
                        maxLanes(x, rows, rowCount, first: first, count: count, channel: c0, V.self, R.self).store(y + o + c0)
                        return
                    }
                    let (m, index) = selectLanes(x, rows, rowCount, first: first, count: count, channel: c0, V.self, R.self)
                    m.store(y + o + c0)
                    if let cells { V.storeCells(index, scale: tensorSpace ? cs : 1, laneStep: tensorSpace ? 1 : 0, base: tensorSpace ? cellBase + c0 : 0, cells + o + c0) }
                    if let mask {
                        for i in 0..<V.width { mask[V.cell(index, lane: i, laneStep: 0) * cs + c0 + i] += 1 }
                    }
                } channel: { c in
                    let s = selectCell(x, rows, rowCount, first: first, count: count, channel: c, R.self)
                    y[o + c] = x[s * cs + c]
                    cells?[o + c] = Int64(tensorSpace ? cellBase + s * cs + c : s)
                    mask?[s * cs + c] += 1
                }
                if stop.shouldStop(after: rowCount * count * cs) { return }
            }
        }
    }

    /// Max backward from the input over output rows `range` of sample n: `grad` (the sample's,
    /// zeroed here) gets `gy` added at each window's selected element, channel by channel.
    @inline(__always)
    func maxBackward<V: Lanes, R: MaxRule>(_ x: UnsafePointer<V.Scalar>, _ gy: UnsafePointer<V.Scalar>, _ grad: UnsafeMutablePointer<V.Scalar>,
                                           rows range: Range<Int>, scratch rows: UnsafeMutablePointer<Int>,
                                           stop: inout StopCheck, _: V.Type, _: R.Type) {
        let w = windows, cs = channels
        forEachRow(range, rows, zeroing: grad, stop: &stop) { q, rowCount, _, stop in
            for ox in 0..<w.outWidth {
                let (first, count) = column(ox)
                let o = (q * w.outWidth + ox) * cs
                forEachChannel(lanes: V.width, overlapTail: false) { c0 in
                    let (_, index) = selectLanes(x, rows, rowCount, first: first, count: count, channel: c0, V.self, R.self)
                    for i in 0..<V.width { grad[V.cell(index, lane: i, laneStep: 0) * cs + c0 + i] += gy[o + c0 + i] }
                } channel: { c in
                    grad[selectCell(x, rows, rowCount, first: first, count: count, channel: c, R.self) * cs + c] += gy[o + c]
                }
                if stop.shouldStop(after: rowCount * count * cs) { return }
            }
        }
    }
}
