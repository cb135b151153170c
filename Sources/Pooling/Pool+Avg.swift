extension Pool {
    /// The divisor of one average window: `divisorOverride`, else the padded cell count
    /// (`countIncludePad`, fixed windows only) or the real cell count.
    @inline(__always)
    static func divisor(_ options: AvgOptions, real: Int, padded: Int, fixed: Bool) -> Double {
        if let d = options.divisorOverride { return Double(d) }
        return Double(options.countIncludePad && fixed ? padded : real)
    }

    /// Average pooling forward: each window's sum over its real cells, divided by its divisor.
    /// Sums are kept in `Double`.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func avgForward<T: PoolScalar>(_ input: [T], geometry g: PoolGeometry, options: AvgOptions, cancellation: Cancellation? = nil) -> [T] {
        let table = WindowTable(g)
        let fixed = { if case .fixed = g.window { return true } else { return false } }()
        var output = [T](repeating: 0, count: g.outputCount)
        let (inp, out) = (table.input, table.output)
        input.withUnsafeBufferPointer { xb in
        output.withUnsafeMutableBufferPointer { yb in
            let (x, y) = (xb.baseAddress!, yb.baseAddress!)
            if table.rows != nil {
                AvgKernel2D.with(table) { kernel in
                    parallelChunks(inp.planes, work: g.work, cancellation: cancellation) { planes in
                    var stop = StopCheck(cancellation)
                        for p in planes where !stop.stopped {
                            kernel.forward(x + inp.base(p), inp.elementStride, y + out.base(p), out.elementStride, options, fixed: fixed, stop: &stop)
                        }
                    }
                }
                return
            }
            parallelChunks(inp.planes, work: g.work, cancellation: cancellation) { planes in
                    var stop = StopCheck(cancellation)
                let scratch = WindowTable.Scratch(table)
                for p in planes where !stop.stopped {
                    let xp = x + inp.base(p), yo = out.base(p), es = inp.elementStride
                    table.forEachWindow(scratch: scratch, stop: &stop) { o, taps, padded in
                        var sum = 0.0
                        for s in taps { sum += xp[s * es].double }
                        y[yo + o * out.elementStride] = T(double: sum / divisor(options, real: taps.count, padded: padded, fixed: fixed))
                    }
                }
            }
        }}
        return output
    }

    /// Average pooling backward: each window's gradient divided by its divisor goes to each of
    /// its real cells, summed where windows overlap.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func avgBackward<T: PoolScalar>(gradOutput: [T], geometry g: PoolGeometry, options: AvgOptions, cancellation: Cancellation? = nil) -> [T] {
        let table = WindowTable(g)
        let fixed = { if case .fixed = g.window { return true } else { return false } }()
        var grad = [T](repeating: 0, count: g.inputCount)
        let (inp, out) = (table.input, table.output)
        gradOutput.withUnsafeBufferPointer { gb in
        grad.withUnsafeMutableBufferPointer { rb in
            let (go, r) = (gb.baseAddress!, rb.baseAddress!)
            if table.rows != nil {
                AvgKernel2D.with(table) { kernel in
                    parallelChunks(inp.planes, work: g.work, cancellation: cancellation) { planes in
                    var stop = StopCheck(cancellation)
                        for p in planes where !stop.stopped {
                            kernel.backward(go + out.base(p), out.elementStride, r + inp.base(p), inp.elementStride, options, fixed: fixed, stop: &stop)
                        }
                    }
                }
                return
            }
            parallelChunks(inp.planes, work: g.work, cancellation: cancellation) { planes in
                    var stop = StopCheck(cancellation)
                let scratch = WindowTable.Scratch(table)
                for p in planes where !stop.stopped {
                    let rp = r + inp.base(p), yo = out.base(p), es = inp.elementStride
                    table.forEachWindow(scratch: scratch, stop: &stop) { o, taps, padded in
                        let share = T(double: go[yo + o * out.elementStride].double / divisor(options, real: taps.count, padded: padded, fixed: fixed))
                        for s in taps { rp[s * es] += share }
                    }
                }
            }
        }}
        return grad
    }
}
