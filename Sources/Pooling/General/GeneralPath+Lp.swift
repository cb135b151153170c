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
                    let d = p == 1 ? 1 : (p == 2 ? a : pow(a, p - 1))
                    rp[s * es] += T(double: gv * (v < 0 ? -d : d))
                }
            }
        }
    }
}
