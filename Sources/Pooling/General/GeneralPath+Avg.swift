extension GeneralPath {
    /// Avg forward: each window's sum over its real cells (in the element type, as PyTorch sums, row-major) over its
    /// divisor (``Pool/divisor(_:real:padded:fixed:)``).
    func avgForward<T: PoolScalar>(_ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, options: AvgOptions, cancellation: Cancellation?) {
        let (table, fixed) = (self.table, self.fixed)
        let (inp, out) = (table.input, table.output)
        forEachPlane(work: geometry.work, cancellation: cancellation) { p, scratch, stop in
            let xp = x + inp.base(p), yo = out.base(p), es = inp.elementStride
            table.forEachWindow(scratch: scratch, stop: &stop) { o, taps, padded in
                var sum: T = 0
                for s in taps { sum += xp[s * es] }
                y[yo + o * out.elementStride] = sum / T(double: Pool.divisor(options, real: taps.count, padded: padded, fixed: fixed))
            }
        }
    }

    /// Avg backward: each window's gradient over its divisor (rounded) added to each of its
    /// real cells, in output order (`grad` comes zeroed).
    func avgBackward<T: PoolScalar>(_ gy: UnsafePointer<T>, _ grad: UnsafeMutablePointer<T>, options: AvgOptions, cancellation: Cancellation?) {
        let (table, fixed) = (self.table, self.fixed)
        let (inp, out) = (table.input, table.output)
        forEachPlane(work: geometry.work, cancellation: cancellation) { p, scratch, stop in
            let rp = grad + inp.base(p), yo = out.base(p), es = inp.elementStride
            table.forEachWindow(scratch: scratch, stop: &stop) { o, taps, padded in
                let share = T(double: gy[yo + o * out.elementStride].double / Pool.divisor(options, real: taps.count, padded: padded, fixed: fixed))
                for s in taps { rp[s * es] += share }
            }
        }
    }
}
