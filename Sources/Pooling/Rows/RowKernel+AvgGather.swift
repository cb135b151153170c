extension RowKernel {
    /// Zero cells on each side of the shares row of ``avgBackwardGather(_:_:options:columnFactors:rows:shares:stop:_:)``.
    func sharesPad(lanes: Int) -> Int { (windows.kernelX - 1) * windows.dilationX + 2 * lanes }

    /// Cells of its scratch: the shares row, then two vectors for the last cells of a row.
    func sharesCapacity(lanes: Int) -> Int { 2 * sharesPad(lanes: lanes) + windows.outWidth + windows.width + windows.padX + 4 * lanes }

    /// Avg backward over one plane for strides 1 and 2, gathering instead of scattering. For
    /// each output row q in turn, its windows' shares `gy[o] / divisor` (rounded to the element
    /// type) go to a zero-padded scratch row; then each input row r of q's windows adds to each
    /// of its cells c the shares of the windows that hold c, in ascending output column, one
    /// vector of cells at a time (one load and one store per vector, which the scatter's
    /// overlapping stores of neighbouring taps cannot have). Every cell thus receives its
    /// windows' shares one by one in output order, as in the general path; the zero shares of
    /// columns without a window add nothing (a gradient cell is never −0).
    @inline(__always)
    func avgBackwardGather<V: Lanes>(_ gy: UnsafePointer<V.Scalar>, _ grad: UnsafeMutablePointer<V.Scalar>, options: AvgOptions,
                                     columnFactors: UnsafePointer<Double>, rows: UnsafeMutablePointer<Int>,
                                     shares: UnsafeMutablePointer<V.Scalar>, stop: inout StopCheck, _: V.Type) {
        let w = windows
        let pad = sharesPad(lanes: V.width)
        shares.initialize(repeating: 0, count: sharesCapacity(lanes: V.width))
        var zero = ZeroAhead(grad, w)
        let share = UnsafePointer(shares + pad)
        let tail = shares + sharesCapacity(lanes: V.width) - 2 * V.width
        for q in 0..<w.outRows where !stop.stopped {
            let (count, padded) = w.rows(of: q, into: rows)
            zero.cover(rows, count)
            let factor = avgRowFactor(options, count: count, padded: padded)
            let gq = gy + q * w.outWidth
            var ox = 0
            while ox + V.width <= w.outWidth {
                var g = V.zeroWide
                V.accumulate(&g, V.load(gq + ox))
                V.quotient(g, V.loadWide(columnFactors + ox, times: factor)).store(shares + pad + ox)
                ox += V.width
            }
            while ox < w.outWidth {
                shares[pad + ox] = V.Scalar(double: gq[ox].double / (columnFactors[ox] * factor))
                ox += 1
            }
            for r in 0..<count {
                if w.strideX == 1 {
                    gatherRowUnitStride(grad + rows[r], share, tail, stop: &stop, V.self)
                } else {
                    gatherRowDoubleStride(grad + rows[r], share, tail, stop: &stop, V.self)
                }
                if stop.stopped { return }
            }
        }
        zero.finish()
    }

    /// One input cell c of a row: the shares of the windows that hold it, in ascending column
    /// (descending tap).
    @inline(__always)
    func gatherCell<T: PoolScalar>(_ row: UnsafeMutablePointer<T>, _ share: UnsafePointer<T>, _ c: Int) {
        let w = windows
        var g = row[c]
        var kx = w.kernelX - 1
        // Strides 1 and 2 only (shifts, not divisions); columns without a window read zeros.
        let odd = w.strideX - 1
        while kx >= 0 {
            let n = c + w.padX - kx * w.dilationX
            if n >= 0 && n & odd == 0 { g += share[n >> odd] }
            kx -= 1
        }
        row[c] = g
    }

    /// Stride 1: lane i is cell c0 + i, and tap kx adds `share[c0 + i + pad − kx·dilation]`. The
    /// last cells of the row (fewer than a vector) are computed as a whole vector in `tail`
    /// (two vectors of scratch), and only they are copied back.
    @inline(__always)
    func gatherRowUnitStride<V: Lanes>(_ row: UnsafeMutablePointer<V.Scalar>, _ share: UnsafePointer<V.Scalar>,
                                       _ tail: UnsafeMutablePointer<V.Scalar>, stop: inout StopCheck, _: V.Type) {
        let w = windows
        @inline(__always)
        func block(_ cells: UnsafeMutablePointer<V.Scalar>, _ c0: Int) {
            var g = V.load(cells)
            var kx = w.kernelX - 1
            while kx >= 0 {
                g = V.sum(g, V.load(share + c0 + w.padX - kx * w.dilationX))
                kx -= 1
            }
            g.store(cells)
        }
        var c0 = 0
        while c0 + V.width <= w.width {
            block(row + c0, c0)
            if stop.shouldStop(after: V.width * w.kernelX) { return }
            c0 += V.width
        }
        let rest = w.width - c0
        guard rest > 0 else { return }
        tail.initialize(repeating: 0, count: V.width)
        tail.update(from: row + c0, count: rest)
        block(tail, c0)
        (row + c0).update(from: tail, count: rest)
    }

    /// Stride 2: a double-width span of cells from c0 (with c0 + pad even, e = c0 + pad): tap kx
    /// at m = kx·dilation adds `share[(e − m)/2 + i]` to even cell 2i when m is even, and
    /// `share[(e + 1 − m)/2 + i]` to odd cell 2i + 1 when m is odd. The last cells of the row
    /// go through `tail` as in ``gatherRowUnitStride(_:_:_:stop:_:)``.
    @inline(__always)
    func gatherRowDoubleStride<V: Lanes>(_ row: UnsafeMutablePointer<V.Scalar>, _ share: UnsafePointer<V.Scalar>,
                                         _ tail: UnsafeMutablePointer<V.Scalar>, stop: inout StopCheck, _: V.Type) {
        let w = windows
        @inline(__always)
        func block(_ cells: UnsafeMutablePointer<V.Scalar>, _ c0: Int) {
            var (even, odd) = V.loadHalves(cells)
            let e = c0 + w.padX
            var kx = w.kernelX - 1
            while kx >= 0 {
                let m = kx * w.dilationX
                if m % 2 == 0 { even = V.sum(even, V.load(share + (e - m) / 2)) } else { odd = V.sum(odd, V.load(share + (e + 1 - m) / 2)) }
                kx -= 1
            }
            V.storeInterleaved(even, odd, cells)
        }
        var c0 = w.padX % 2
        if c0 == 1 { gatherCell(row, share, 0) }
        while c0 + 2 * V.width <= w.width {
            block(row + c0, c0)
            if stop.shouldStop(after: V.width * w.kernelX) { return }
            c0 += 2 * V.width
        }
        let rest = w.width - c0
        guard rest > 0 else { return }
        tail.initialize(repeating: 0, count: 2 * V.width)
        tail.update(from: row + c0, count: rest)
        block(tail, c0)
        (row + c0).update(from: tail, count: rest)
    }
}
