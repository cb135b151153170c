extension GeneralPath {
    /// Max forward: each window's selected value under ``MaxSelection``, its cell (plane or
    /// tensor space) and, with `split`, mask shares among its tied maxima (the mask comes zeroed).
    func maxForward<T: PoolScalar>(_ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, indices: UnsafeMutablePointer<Int64>?,
                                   mask: UnsafeMutablePointer<T>?, options: MaxOptions, cancellation: Cancellation?) {
        let (table, rule) = (self.table, MaxSelection(options))
        let (split, tensorSpace) = (options.ties == .split, options.indexSpace == .tensor)
        let (inp, out) = (table.input, table.output)
        forEachPlane(work: geometry.work, cancellation: cancellation) { p, scratch, stop in
            let xp = x + inp.base(p), yo = out.base(p), es = inp.elementStride
            self.table(plane: p).forEachWindow(scratch: scratch, stop: &stop) { o, taps, _ in
                let s = taps[rule.select(taps, xp, es)]
                let bv = xp[s * es]
                y[yo + o * out.elementStride] = bv
                indices?[yo + o * out.elementStride] = Int64(tensorSpace ? inp.base(p) + s * es : s)
                guard let mask else { return }
                let mp = mask + inp.base(p)
                if split {
                    let share = 1 / T(double: Double(rule.tieCount(taps, xp, es, bv)))
                    rule.forEachTie(taps, xp, es, bv) { mp[$0 * es] += share }
                } else {
                    mp[s * es] += 1
                }
            }
        }
    }

    /// Max backward from the input: each window's gradient to its selected cell (with `split`,
    /// shared equally among its tied maxima), summed where windows overlap (`grad` comes zeroed).
    func maxBackward<T: PoolScalar>(_ x: UnsafePointer<T>, _ gy: UnsafePointer<T>, _ grad: UnsafeMutablePointer<T>,
                                    options: MaxOptions, cancellation: Cancellation?) {
        let (table, rule) = (self.table, MaxSelection(options))
        let split = options.ties == .split
        let (inp, out) = (table.input, table.output)
        forEachPlane(work: geometry.work, cancellation: cancellation) { p, scratch, stop in
            let xp = x + inp.base(p), rp = grad + inp.base(p), yo = out.base(p), es = inp.elementStride
            self.table(plane: p).forEachWindow(scratch: scratch, stop: &stop) { o, taps, _ in
                let gv = gy[yo + o * out.elementStride]
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

    /// Max backward from indices: every index checked against its window, then
    /// `grad[indices[o]] += gy[o]` (`grad` comes zeroed). Returns the first output element whose
    /// index is not a cell of its window, or nil.
    func maxBackward<T: PoolScalar>(indices: UnsafePointer<Int64>, _ gy: UnsafePointer<T>, _ grad: UnsafeMutablePointer<T>,
                                    tensorSpace: Bool, cancellation: Cancellation?) -> Int? {
        let table = self.table
        let (inp, out) = (table.input, table.output)
        // Planes of channels_last tensors interleave: each chunk finds the least bad position of its planes.
        let bad = Parallel.chunks(inp.planes, work: geometry.outputCount, cancellation: cancellation, initial: Int?.none) { planes -> Int? in
            var firstBad: Int?
            for p in planes where !(cancellation?.isCancelled ?? false) {
                let (ob, base, os, es) = (out.base(p), inp.base(p), out.elementStride, inp.elementStride)
                let table = self.table(plane: p)
                for o in 0..<out.spatial {
                    let at = ob + o * os
                    guard let s = table.planeCell(indices[at], tensorSpace: tensorSpace, planeBase: base),
                          table.contains(s, inWindow: o) else {
                        firstBad = Swift.min(firstBad ?? at, at)
                        break
                    }
                    grad[base + s * es] += gy[at]
                }
            }
            return firstBad
        }
        return bad.compactMap { $0 }.min()
    }
}
