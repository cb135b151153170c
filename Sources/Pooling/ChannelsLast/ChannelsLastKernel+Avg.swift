extension ChannelsLastKernel {
    /// The divisor of window (q, ox) (see ``Pool/divisor(_:real:padded:fixed:)``).
    @inline(__always)
    func divisor(_ options: AvgOptions, rowCount: Int, paddedRows: Int, column ox: Int) -> Double {
        let c = windows.columns
        return Pool.divisor(options, real: rowCount * c.count[ox], padded: paddedRows * c.padded[ox], fixed: true)
    }

    /// Avg forward over output rows `range` of one sample (`x`, `y`: its bases): each channel's
    /// sum over the window's real cells in the element type (as PyTorch), row-major, over the divisor.
    @inline(__always)
    func avgForward<V: Lanes>(_ x: UnsafePointer<V.Scalar>, _ y: UnsafeMutablePointer<V.Scalar>, rows range: Range<Int>, options: AvgOptions,
                              scratch rows: UnsafeMutablePointer<Int>, stop: inout StopCheck, _: V.Type) {
        let w = windows, cs = channels, dx = w.dilationX
        forEachRow(range, rows, zeroing: UnsafeMutablePointer<V.Scalar>?.none, stop: &stop) { q, rowCount, paddedRows, stop in
            for ox in 0..<w.outWidth {
                let (first, count) = column(ox)
                let o = (q * w.outWidth + ox) * cs
                let d = divisor(options, rowCount: rowCount, paddedRows: paddedRows, column: ox)
                forEachChannel(lanes: V.width, overlapTail: true) { c0 in
                    var sum = V.zeroWide
                    for r in 0..<rowCount {
                        var t = rows[r] + first
                        for _ in 0..<count {
                            V.accumulate(&sum, V.load(x + t * cs + c0))
                            t += dx
                        }
                    }
                    V.quotient(sum, V.splatWide(d)).store(y + o + c0)
                } channel: { c in
                    var sum: V.Scalar = 0
                    for r in 0..<rowCount {
                        var t = rows[r] + first
                        for _ in 0..<count {
                            sum += x[t * cs + c]
                            t += dx
                        }
                    }
                    y[o + c] = sum / V.Scalar(double: d)
                }
                if stop.shouldStop(after: rowCount * count * cs) { return }
            }
        }
    }

    /// Avg backward over output rows `range` of one sample: `grad` (the sample's, zeroed
    /// here; `range` is all its rows) gets each window's `gy / divisor` (rounded) added at its real cells, in output
    /// order as in the general path.
    @inline(__always)
    func avgBackward<V: Lanes>(_ gy: UnsafePointer<V.Scalar>, _ grad: UnsafeMutablePointer<V.Scalar>, rows range: Range<Int>, options: AvgOptions,
                               scratch rows: UnsafeMutablePointer<Int>, stop: inout StopCheck, _: V.Type) {
        let w = windows, cs = channels, dx = w.dilationX
        forEachRow(range, rows, zeroing: grad, stop: &stop) { q, rowCount, paddedRows, stop in
            for ox in 0..<w.outWidth {
                let (first, count) = column(ox)
                let o = (q * w.outWidth + ox) * cs
                let d = divisor(options, rowCount: rowCount, paddedRows: paddedRows, column: ox)
                forEachChannel(lanes: V.width, overlapTail: false) { c0 in
                    var g = V.zeroWide
                    V.accumulate(&g, V.load(gy + o + c0))
                    let share = V.quotient(g, V.splatWide(d))
                    for r in 0..<rowCount {
                        var t = rows[r] + first
                        for _ in 0..<count {
                            V.add(share, to: grad + t * cs + c0)
                            t += dx
                        }
                    }
                } channel: { c in
                    let share = V.Scalar(double: gy[o + c].double / d)
                    for r in 0..<rowCount {
                        var t = rows[r] + first
                        for _ in 0..<count {
                            grad[t * cs + c] += share
                            t += dx
                        }
                    }
                }
                if stop.shouldStop(after: rowCount * count * cs) { return }
            }
        }
    }
}
