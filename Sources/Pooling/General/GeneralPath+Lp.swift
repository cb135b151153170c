#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension GeneralPath {
    /// Lp forward: y = (Σ|x|^p)^(1/p) over each window's real cells (``Pool/lpNorm(_:_:_:p:)``).
    func lpForward<T: PoolScalar>(_ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, p: Double, cancellation: Cancellation?) {
        let table = self.table
        let (inp, out) = (table.input, table.output)
        forEachPlane(work: geometry.work, cancellation: cancellation) { p0, scratch, stop in
            let xp = x + inp.base(p0), yo = out.base(p0), es = inp.elementStride
            table.forEachWindow(scratch: scratch, stop: &stop) { o, taps, _ in
                y[yo + o * out.elementStride] = T(double: Pool.lpNorm(taps, xp, es, p: p))
            }
        }
    }

    /// Lp backward: ∂y/∂x_i = sign(x_i)·(|x_i|/y)^(p−1), 0 where y = 0 or x_i = 0, times the
    /// window's gradient, summed where windows overlap (`grad` comes zeroed).
    func lpBackward<T: PoolScalar>(_ x: UnsafePointer<T>, _ gy: UnsafePointer<T>, _ grad: UnsafeMutablePointer<T>, p: Double,
                                   cancellation: Cancellation?) {
        let table = self.table
        let (inp, out) = (table.input, table.output)
        forEachPlane(work: 2 * geometry.work, cancellation: cancellation) { p0, scratch, stop in
            let xp = x + inp.base(p0), rp = grad + inp.base(p0), yo = out.base(p0), es = inp.elementStride
            table.forEachWindow(scratch: scratch, stop: &stop) { o, taps, _ in
                let gv = gy[yo + o * out.elementStride].double
                let y = Pool.lpNorm(taps, xp, es, p: p)
                guard y != 0 else { return }
                for s in taps {
                    let v = xp[s * es].double
                    guard v != 0 else { continue }
                    let a = Swift.abs(v) / y
                    // A NaN cell has no sign: its gradient is NaN for every p (p = 1 included).
                    let d = p == 1 ? (v.isNaN ? .nan : 1) : (p == 2 ? a : pow(a, p - 1))
                    rp[s * es] += T(double: gv * (v < 0 ? -d : d))
                }
            }
        }
    }
}

extension GeneralPath {
    /// PyTorch's scale of a window in `lp_pool`: kernel cells / the window's cells inside the
    /// (padded) input, > 1 only for a window that ceil mode cut short; 1 for adaptive and
    /// global windows.
    @inline(__always)
    func lpScale(padded: Int) -> Double {
        guard case .fixed(let kernel, _, _, _, _) = geometry.window, padded > 0 else { return 1 }
        return Double(kernel.reduce(1, *)) / Double(padded)
    }

    /// f·Σxᵖ of one window, in Double (x¹ and x² without `pow`).
    @inline(__always)
    static func signedPowerSum<T: PoolScalar>(_ taps: UnsafeBufferPointer<Int>, _ x: UnsafePointer<T>, _ es: Int, p: Double, scale: Double) -> Double {
        var sum = 0.0
        if p == 1 {
            for s in taps { sum += x[s * es].double }
        } else if p == 2 {
            for s in taps { let v = x[s * es].double; sum += v * v }
        } else {
            for s in taps { sum += pow(x[s * es].double, p) }
        }
        return sum * scale
    }

    /// PyTorch's lp forward (``Pool/lpForward(_:geometry:p:absolute:cancellation:)`` with
    /// `absolute` false): y = (f·Σxᵖ)^(1/p).
    func signedLpForward<T: PoolScalar>(_ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, p: Double, cancellation: Cancellation?) {
        let table = self.table
        let (inp, out) = (table.input, table.output)
        forEachPlane(work: geometry.work, cancellation: cancellation) { p0, scratch, stop in
            let xp = x + inp.base(p0), yo = out.base(p0), es = inp.elementStride
            table.forEachWindow(scratch: scratch, stop: &stop) { o, taps, padded in
                let u = Self.signedPowerSum(taps, xp, es, p: p, scale: lpScale(padded: padded))
                y[yo + o * out.elementStride] = T(double: p == 1 ? u : pow(u, 1 / p))
            }
        }
    }

    /// PyTorch's lp backward in its own order (`grad` comes zeroed): each window adds
    /// c = gy·f·U^(1/p−1)/p to each of its real cells (nothing when U is 0, NaN when U is NaN),
    /// then every input cell is multiplied by p·x^(p−1) — so a cell that no window reaches, or
    /// only windows whose U is 0, still gets NaN where p·x^(p−1) is NaN or infinite (a negative
    /// cell under a non-integer p), as PyTorch's `pow` backward gives it.
    func signedLpBackward<T: PoolScalar>(_ x: UnsafePointer<T>, _ gy: UnsafePointer<T>, _ grad: UnsafeMutablePointer<T>, p: Double,
                                         cancellation: Cancellation?) {
        let table = self.table
        let (inp, out) = (table.input, table.output)
        forEachPlane(work: 2 * geometry.work, cancellation: cancellation) { p0, scratch, stop in
            let xp = x + inp.base(p0), rp = grad + inp.base(p0), yo = out.base(p0), es = inp.elementStride
            table.forEachWindow(scratch: scratch, stop: &stop) { o, taps, padded in
                let f = lpScale(padded: padded)
                let u = Self.signedPowerSum(taps, xp, es, p: p, scale: f)
                guard u != 0 else { return }
                // A NaN sum makes every cell's gradient NaN (PyTorch's chain through sign·relu(|·|)).
                let chain = u.isNaN ? Double.nan : (p == 1 ? 1 : pow(u, 1 / p - 1))
                let c = T(double: gy[yo + o * out.elementStride].double * f * chain / p)
                for s in taps { rp[s * es] += c }
            }
        }
        let count = geometry.inputCount
        Parallel.forEachChunk(count, work: count * 8, cancellation: cancellation) { cells in
            for i in cells {
                let v = x[i].double
                let d = p == 1 ? 1 : (p == 2 ? 2 * v : p * pow(v, p - 1))
                grad[i] = T(double: d * grad[i].double)
            }
        }
    }
}
