extension RowKernel {
    /// Per output column, the row axis's factor of avg's divisor: the padded cell count
    /// (countIncludePad), the real cell count, or 1 (divisorOverride, which the row factor
    /// carries). The divisor of window (q, ox) is this times ``avgRowFactor(_:count:padded:)``,
    /// the same product of integers the general path divides by.
    func avgColumnFactors(_ options: AvgOptions) -> [Double] {
        let c = windows.columns
        return (0..<windows.outWidth).map { ox in
            options.divisorOverride != nil ? 1 : Double(options.countIncludePad ? c.padded[ox] : c.count[ox])
        }
    }

    /// The outer axes' factor of avg's divisor for an output row of `count` real input rows.
    @inline(__always)
    func avgRowFactor(_ options: AvgOptions, count: Int, padded: Int) -> Double {
        if let d = options.divisorOverride { return Double(d) }
        return Double(options.countIncludePad ? padded : count)
    }

    /// Avg forward over one plane: `y[o]` = (Σ real cells of o's window, in the element type, in
    /// row-major tap order) / divisor — PyTorch's sum and its roundings.
    @inline(__always)
    func avgForward<V: Lanes, S: LaneStride>(_ x: UnsafePointer<V.Scalar>, _ y: UnsafeMutablePointer<V.Scalar>, options: AvgOptions,
                                             columnFactors: UnsafePointer<Double>, rows: UnsafeMutablePointer<Int>,
                                             stop: inout StopCheck, _: V.Type, _: S.Type) {
        let w = windows
        let (kx, dx) = (w.kernelX, w.dilationX)
        for q in 0..<w.outRows where !stop.stopped {
            let (count, padded) = w.rows(of: q, into: rows)
            let factor = avgRowFactor(options, count: count, padded: padded)
            let yq = y + q * w.outWidth
            @inline(__always)
            func vector<L: LaneStride>(_ ox: Int, _: L.Type) {
                let base = columnBase(ox)
                var sum = V.zeroWide
                for r in 0..<count {
                    var t = rows[r] + base
                    for _ in 0..<kx {
                        V.accumulate(&sum, L.load(x + t, V.self))
                        t += dx
                    }
                }
                V.quotient(sum, V.loadWide(columnFactors + ox, times: factor)).store(yq + ox)
            }
            forEachColumn(lanes: V.width, overlapTail: true, cellsPerColumn: count * kx, stop: &stop) { ox in
                vector(ox, S.self)
            } last: { ox in
                vector(ox, S.Last.self)
            } column: { ox in
                let (first, cx) = (w.columns.first[ox], w.columns.count[ox])
                var sum: V.Scalar = 0
                for r in 0..<count {
                    var t = rows[r] + first
                    for _ in 0..<cx {
                        sum += x[t]
                        t += dx
                    }
                }
                yq[ox] = sum / V.Scalar(double: columnFactors[ox] * factor)
            }
        }
    }

    /// Avg backward over one plane: `grad` (the plane's, zeroed here) gets each window's
    /// `gy[o] / divisor` (rounded to the element type) added at each of its real cells. Lanes
    /// add their taps right to left, so that every cell receives its windows' shares in output
    /// order, as in the general path.
    @inline(__always)
    func avgBackward<V: Lanes, S: LaneStride>(_ gy: UnsafePointer<V.Scalar>, _ grad: UnsafeMutablePointer<V.Scalar>, options: AvgOptions,
                                              columnFactors: UnsafePointer<Double>, rows: UnsafeMutablePointer<Int>,
                                              stop: inout StopCheck, _: V.Type, _: S.Type) {
        let w = windows
        let (kx, dx) = (w.kernelX, w.dilationX)
        var zero = ZeroAhead(grad, w)
        for q in 0..<w.outRows where !stop.stopped {
            let (count, padded) = w.rows(of: q, into: rows)
            zero.cover(rows, count)
            let factor = avgRowFactor(options, count: count, padded: padded)
            let gq = gy + q * w.outWidth
            @inline(__always)
            func vector<L: LaneStride>(_ ox: Int, _: L.Type) {
                var g = V.zeroWide
                V.accumulate(&g, V.load(gq + ox))
                let share = V.quotient(g, V.loadWide(columnFactors + ox, times: factor))
                let base = columnBase(ox)
                for r in 0..<count {
                    var t = rows[r] + base + (kx - 1) * dx
                    for _ in 0..<kx {
                        L.add(share, to: grad + t)
                        t -= dx
                    }
                }
            }
            forEachColumn(lanes: V.width, overlapTail: false, cellsPerColumn: count * kx, stop: &stop) { ox in
                vector(ox, S.self)
            } last: { ox in
                vector(ox, S.Last.self)
            } column: { ox in
                let (first, cx) = (w.columns.first[ox], w.columns.count[ox])
                let share = V.Scalar(double: gq[ox].double / (columnFactors[ox] * factor))
                for r in 0..<count {
                    var t = rows[r] + first
                    for _ in 0..<cx {
                        grad[t] += share
                        t += dx
                    }
                }
            }
        }
        zero.finish()
    }
}
