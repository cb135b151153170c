/// What max pooling's forward pass returns.
public struct MaxForwardResult<T: PoolScalar>: Sendable {
    /// The pooled values, in the geometry's output shape.
    public var output: [T]
    /// The selected cells, in the requested index space (when asked for).
    public var indices: [Int64]?
    /// Per input cell, how many windows selected it; with ties `split`, its summed gradient
    /// share from a unit gradOutput (when asked for).
    public var mask: [T]?
}

/// An index that cannot have come from a forward pass over the same geometry.
public struct IndexError: Error, Equatable, Sendable {
    /// The position in the indices tensor.
    public let position: Int
    public let value: Int64
    public let message: String
}

extension Pool {
    /// Max pooling forward: each window's maximum under `options`' tie and NaN rules.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func maxForward<T: PoolScalar>(_ input: [T], geometry g: PoolGeometry, options: MaxOptions,
                                                 indices wantIndices: Bool = true, mask wantMask: Bool = true,
                                                 cancellation: Cancellation? = nil) -> MaxForwardResult<T> {
        let table = WindowTable(g)
        let rule = MaxSelection(options)
        let split = options.ties == .split
        let tensorSpace = options.indexSpace == .tensor
        var output = [T](repeating: 0, count: g.outputCount)
        var indices = [Int64](repeating: 0, count: wantIndices ? g.outputCount : 0)
        var mask = [T](repeating: 0, count: wantMask ? g.inputCount : 0)
        let (inp, out) = (table.input, table.output)
        input.withUnsafeBufferPointer { xb in
        output.withUnsafeMutableBufferPointer { yb in
        indices.withUnsafeMutableBufferPointer { ib in
        mask.withUnsafeMutableBufferPointer { mb in
            // An empty array's buffer may still have a base address (the shared empty storage):
            // whether to write indices and mask is decided by the flags, never by the pointers.
            let (x, y) = (xb.baseAddress!, yb.baseAddress!)
            let idx = wantIndices ? ib.baseAddress : nil
            let m = wantMask ? mb.baseAddress : nil
            if table.rows != nil && rule.byKey && !split && g.layout == .channelsLast && !wantMask {
                // The mask is left to the per-plane path: rows of one sample share mask cells.
                MaxKernel2D.with(table) { kernel in
                    MaxKernel2DChannelsLast(kernel: kernel, channels: g.channels)
                        .forward(x, y, batch: g.batch, indices: idx, tensorSpace: tensorSpace, work: g.work, cancellation: cancellation)
                }
                return
            }
            if table.rows != nil && !split {
                MaxKernel2D.with(table, rule: rule) { kernel in
                    parallelChunks(inp.planes, work: g.work, cancellation: cancellation) { planes in
                    var stop = StopCheck(cancellation)
                        for p in planes where !stop.stopped {
                            let base = inp.base(p)
                            kernel.forward(x + base, inp.elementStride, y + out.base(p), out.elementStride,
                                           selected: idx.map { $0 + out.base(p) }, indexBase: tensorSpace ? base : 0,
                                           indexScale: tensorSpace ? inp.elementStride : 1, mask: m.map { $0 + base }, stop: &stop)
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
                    table.forEachWindow(scratch: scratch, stop: &stop) { o, taps, _ in
                        let t = rule.select(taps, xp, es)
                        let s = taps[t]
                        let bv = xp[s * es]
                        y[yo + o * out.elementStride] = bv
                        if let idx {
                            idx[yo + o * out.elementStride] = Int64(tensorSpace ? inp.base(p) + s * es : s)
                        }
                        guard let m else { return }
                        let mp = m + inp.base(p)
                        if split {
                            let share = 1 / T(double: Double(rule.tieCount(taps, xp, es, bv)))
                            rule.forEachTie(taps, xp, es, bv) { mp[$0 * es] += share }
                        } else {
                            mp[s * es] += 1
                        }
                    }
                }
            }
        }}}}
        return MaxForwardResult(output: output, indices: wantIndices ? indices : nil, mask: wantMask ? mask : nil)
    }

    /// Max pooling backward from the input: each window's gradient goes to its selected cell
    /// (with ties `split`, shared equally among its tied maxima), summed where windows overlap.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func maxBackward<T: PoolScalar>(gradOutput: [T], input: [T], geometry g: PoolGeometry,
                                                  options: MaxOptions, cancellation: Cancellation? = nil) -> [T] {
        let table = WindowTable(g)
        let rule = MaxSelection(options)
        let split = options.ties == .split
        var grad = [T](repeating: 0, count: g.inputCount)
        let (inp, out) = (table.input, table.output)
        input.withUnsafeBufferPointer { xb in
        gradOutput.withUnsafeBufferPointer { gb in
        grad.withUnsafeMutableBufferPointer { rb in
            let (x, go, r) = (xb.baseAddress!, gb.baseAddress!, rb.baseAddress!)
            if table.rows != nil && !split {
                MaxKernel2D.with(table, rule: rule) { kernel in
                    parallelChunks(inp.planes, work: g.work, cancellation: cancellation) { planes in
                    var stop = StopCheck(cancellation)
                        for p in planes where !stop.stopped {
                            kernel.backward(x + inp.base(p), inp.elementStride, go + out.base(p), out.elementStride, r + inp.base(p), stop: &stop)
                        }
                    }
                }
                return
            }
            parallelChunks(inp.planes, work: g.work, cancellation: cancellation) { planes in
                    var stop = StopCheck(cancellation)
                let scratch = WindowTable.Scratch(table)
                for p in planes where !stop.stopped {
                    let xp = x + inp.base(p), rp = r + inp.base(p), yo = out.base(p), es = inp.elementStride
                    table.forEachWindow(scratch: scratch, stop: &stop) { o, taps, _ in
                        let gv = go[yo + o * out.elementStride]
                        let s = taps[rule.select(taps, xp, es)]
                        if split {
                            let bv = xp[s * es]
                            let share = gv / T(double: Double(rule.tieCount(taps, xp, es, bv)))
                            rule.forEachTie(taps, xp, es, bv) { rp[$0 * es] += share }
                        } else {
                            rp[s * es] += gv
                        }
                    }
                }
            }
        }}}
        return grad
    }

    /// Max pooling backward from a forward pass's indices (in `indexSpace`): gradOutput[o] is
    /// added at indices[o]. Throws for the first index outside its own window.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func maxBackward<T: PoolScalar>(gradOutput: [T], indices: [Int64], geometry g: PoolGeometry,
                                                  indexSpace: IndexSpace, cancellation: Cancellation? = nil) throws(IndexError) -> [T] {
        let table = WindowTable(g)
        var grad = [T](repeating: 0, count: g.inputCount)
        let (inp, out) = (table.input, table.output)
        let tensorSpace = indexSpace == .tensor
        // Every index is checked before any work, on all cores; the first bad one is reported.
        let firstBad = indices.withUnsafeBufferPointer { ib in
            parallelChunkResults(inp.planes, work: g.outputCount, initial: Int?.none) { planes -> Int? in
                for p in planes where !(cancellation?.isCancelled ?? false) {
                    let base = inp.base(p)
                    for o in 0..<out.spatial {
                        let at = out.base(p) + o * out.elementStride
                        guard let s = table.planeCell(ib[at], tensorSpace: tensorSpace, planeBase: base),
                              table.contains(s, inWindow: o) else { return at }
                    }
                }
                return nil
            }.lazy.compactMap { $0 }.first
        }
        if let at = firstBad {
            throw IndexError(position: at, value: indices[at],
                             message: "index \(indices[at]) is not a cell of the window of output element \(at)")
        }
        indices.withUnsafeBufferPointer { ib in
        gradOutput.withUnsafeBufferPointer { gb in
        grad.withUnsafeMutableBufferPointer { rb in
            let (idx, go, r) = (ib.baseAddress!, gb.baseAddress!, rb.baseAddress!)
            // Each worker owns whole planes, so the scatter needs no atomics.
            parallelChunks(inp.planes, work: g.outputCount, cancellation: cancellation) { planes in
                for p in planes where !(cancellation?.isCancelled ?? false) {
                    let (ob, base, os, es) = (out.base(p), inp.base(p), out.elementStride, inp.elementStride)
                    if tensorSpace {
                        for o in 0..<out.spatial { r[Int(idx[ob + o * os])] += go[ob + o * os] }
                    } else {
                        for o in 0..<out.spatial { r[base + Int(idx[ob + o * os]) * es] += go[ob + o * os] }
                    }
                }
            }
        }}}
        return grad
    }
}
