extension RowKernel {
    /// The running maximum under `R` of the vector whose lane 0 starts at input column
    /// `base`, over `count` input rows, and each lane's selected tap (the cell of lane 0's tap;
    /// lane i's cell is that plus i·stride).
    @inline(__always)
    func selectLanes<V: Lanes, R: MaxRule, S: LaneStride>(_ x: UnsafePointer<V.Scalar>, _ rows: UnsafePointer<Int>, _ count: Int,
                                                          base: Int, _: V.Type, _: R.Type, _: S.Type) -> (V, V.Index) {
        let (kx, dx) = (windows.kernelX, windows.dilationX)
        var t = rows[0] &+ base
        var m = S.load(x + t, V.self)
        var index = V.splatIndex(t)
        for _ in 1..<kx {
            t &+= dx
            V.step(&m, &index, S.load(x + t, V.self), cell: t, R.self)
        }
        for r in 1..<count {
            t = rows[r] &+ base
            for _ in 0..<kx {
                V.step(&m, &index, S.load(x + t, V.self), cell: t, R.self)
                t &+= dx
            }
        }
        return (m, index)
    }

    /// ``selectLanes(_:_:_:base:_:_:_:)`` without the cells.
    @inline(__always)
    func maxLanes<V: Lanes, R: MaxRule, S: LaneStride>(_ x: UnsafePointer<V.Scalar>, _ rows: UnsafePointer<Int>, _ count: Int,
                                                       base: Int, _: V.Type, _: R.Type, _: S.Type) -> V {
        let (kx, dx) = (windows.kernelX, windows.dilationX)
        var t = rows[0] &+ base
        var m = S.load(x + t, V.self)
        var nan = SIMDMask<V.Index>()  // a NaN first tap stays in m: nothing beats it
        for _ in 1..<kx {
            t &+= dx
            V.step(&m, &nan, S.load(x + t, V.self), R.self)
        }
        for r in 1..<count {
            t = rows[r] &+ base
            for _ in 0..<kx {
                V.step(&m, &nan, S.load(x + t, V.self), R.self)
                t &+= dx
            }
        }
        return V.finish(m, nan, R.self)
    }

    /// The selected cell under `R` of output column `ox`'s window over `count` input rows.
    @inline(__always)
    func selectCell<T: PoolScalar, R: MaxRule>(_ x: UnsafePointer<T>, _ rows: UnsafePointer<Int>, _ count: Int, column ox: Int, _: R.Type) -> Int {
        let w = windows
        let (first, cx, dx) = (w.columns.first[ox], w.columns.count[ox], w.dilationX)
        var best = rows[0] + first
        var m = x[best]
        for r in 0..<count {
            var t = rows[r] + first
            for _ in 0..<cx {
                let v = x[t]
                let take = R.takes(v, over: m)
                m = take ? v : m
                best = take ? t : best
                t += dx
            }
        }
        return best
    }

    /// Max forward over one plane: `y[o]` the selected value of output o's window, and when
    /// given, `cells[o] = cellBase + s` for its selected cell s and `mask[s] += 1` (the plane's
    /// mask, zeroed here).
    @inline(__always)
    func maxForward<V: Lanes, R: MaxRule, S: LaneStride>(_ x: UnsafePointer<V.Scalar>, _ y: UnsafeMutablePointer<V.Scalar>,
                                                         cells: UnsafeMutablePointer<Int64>?, cellBase: Int, mask: UnsafeMutablePointer<V.Scalar>?,
                                                         rows: UnsafeMutablePointer<Int>, stop: inout StopCheck,
                                                         _: V.Type, _: R.Type, _: S.Type) {
        let w = windows
        var zero = ZeroAhead(mask, w)
        for q in 0..<w.outRows where !stop.stopped {
            let (count, _) = w.rows(of: q, into: rows)
            zero.cover(rows, count)
            let (yq, cq) = (y + q * w.outWidth, cells.map { $0 + q * w.outWidth })
            @inline(__always)
            func vector<L: LaneStride>(_ ox: Int, _: L.Type) {
                let base = columnBase(ox)
                if cq == nil && mask == nil {
                    maxLanes(x, rows, count, base: base, V.self, R.self, L.self).store(yq + ox)
                    return
                }
                let (m, index) = selectLanes(x, rows, count, base: base, V.self, R.self, L.self)
                m.store(yq + ox)
                if let cq { V.storeCells(index, scale: 1, laneStep: L.cells, base: cellBase, cq + ox) }
                if let mask {
                    for i in 0..<V.width { mask[V.cell(index, lane: i, laneStep: L.cells)] += 1 }
                }
            }
            forEachColumn(lanes: V.width, overlapTail: mask == nil, cellsPerColumn: count * w.kernelX, stop: &stop) { ox in
                vector(ox, S.self)
            } last: { ox in
                vector(ox, S.Last.self)
            } column: { ox in
                let s = selectCell(x, rows, count, column: ox, R.self)
                yq[ox] = x[s]
                cq?[ox] = Int64(cellBase + s)
                mask?[s] += 1
            }
        }
        zero.finish()
    }

    /// Max backward from the input over one plane: `grad` (the plane's, zeroed here)
    /// gets `gy[o]` added at the selected cell of every output o's window.
    @inline(__always)
    func maxBackward<V: Lanes, R: MaxRule, S: LaneStride>(_ x: UnsafePointer<V.Scalar>, _ gy: UnsafePointer<V.Scalar>,
                                                          _ grad: UnsafeMutablePointer<V.Scalar>, rows: UnsafeMutablePointer<Int>,
                                                          stop: inout StopCheck, _: V.Type, _: R.Type, _: S.Type) {
        let w = windows
        var zero = ZeroAhead(grad, w)
        for q in 0..<w.outRows where !stop.stopped {
            let (count, _) = w.rows(of: q, into: rows)
            zero.cover(rows, count)
            let gq = gy + q * w.outWidth
            @inline(__always)
            func vector<L: LaneStride>(_ ox: Int, _: L.Type) {
                let (_, index) = selectLanes(x, rows, count, base: columnBase(ox), V.self, R.self, L.self)
                for i in 0..<V.width { grad[V.cell(index, lane: i, laneStep: L.cells)] += gq[ox + i] }
            }
            forEachColumn(lanes: V.width, overlapTail: false, cellsPerColumn: count * w.kernelX, stop: &stop) { ox in
                vector(ox, S.self)
            } last: { ox in
                vector(ox, S.Last.self)
            } column: { ox in
                grad[selectCell(x, rows, count, column: ox, R.self)] += gq[ox]
            }
        }
        zero.finish()
    }
}
