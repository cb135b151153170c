#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Pool {
    /// The Lp norm (Σ|x|^p)^(1/p) of a window, computed as m·(Σ(|x|/m)^p)^(1/p) with m the
    /// window's largest |x|, so that large p does not overflow. NaN if any cell is NaN.
    @inline(__always)
    static func lpNorm<T: PoolScalar>(_ taps: UnsafeBufferPointer<Int>, _ x: UnsafePointer<T>, _ es: Int, p: Double) -> Double {
        var m = 0.0
        for s in taps {
            let a = Swift.abs(x[s * es].double)
            if a.isNaN { return .nan }
            m = Swift.max(m, a)
        }
        if m == 0 || m.isInfinite { return m }
        if p == 1 {
            var sum = 0.0
            for s in taps { sum += Swift.abs(x[s * es].double) }
            return sum
        }
        var sum = 0.0
        for s in taps { sum += pow(Swift.abs(x[s * es].double) / m, p) }
        return p == 2 ? m * sum.squareRoot() : m * pow(sum, 1 / p)
    }

    /// Lp pooling forward: y = (Σ|x|^p)^(1/p) over each window's real cells.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func lpForward<T: PoolScalar>(_ input: [T], geometry g: PoolGeometry, p: Double, cancellation: Cancellation? = nil) -> [T] {
        let table = WindowTable(g)
        var output = [T](repeating: 0, count: g.outputCount)
        let (inp, out) = (table.input, table.output)
        input.withUnsafeBufferPointer { xb in
        output.withUnsafeMutableBufferPointer { yb in
            let (x, y) = (xb.baseAddress!, yb.baseAddress!)
            parallelChunks(inp.planes, work: g.work, cancellation: cancellation) { planes in
                    var stop = StopCheck(cancellation)
                let scratch = WindowTable.Scratch(table)
                for p0 in planes where !stop.stopped {
                    let xp = x + inp.base(p0), yo = out.base(p0), es = inp.elementStride
                    table.forEachWindow(scratch: scratch, stop: &stop) { o, taps, _ in
                        y[yo + o * out.elementStride] = T(double: lpNorm(taps, xp, es, p: p))
                    }
                }
            }
        }}
        return output
    }

    /// Lp pooling backward: ∂y/∂x_i = sign(x_i)·(|x_i|/y)^(p−1), 0 where y = 0 or x_i = 0,
    /// times the window's gradient, summed where windows overlap.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func lpBackward<T: PoolScalar>(gradOutput: [T], input: [T], geometry g: PoolGeometry, p: Double, cancellation: Cancellation? = nil) -> [T] {
        let table = WindowTable(g)
        var grad = [T](repeating: 0, count: g.inputCount)
        let (inp, out) = (table.input, table.output)
        input.withUnsafeBufferPointer { xb in
        gradOutput.withUnsafeBufferPointer { gb in
        grad.withUnsafeMutableBufferPointer { rb in
            let (x, go, r) = (xb.baseAddress!, gb.baseAddress!, rb.baseAddress!)
            parallelChunks(inp.planes, work: g.work, cancellation: cancellation) { planes in
                    var stop = StopCheck(cancellation)
                let scratch = WindowTable.Scratch(table)
                for p0 in planes where !stop.stopped {
                    let xp = x + inp.base(p0), rp = r + inp.base(p0), yo = out.base(p0), es = inp.elementStride
                    table.forEachWindow(scratch: scratch, stop: &stop) { o, taps, _ in
                        let gv = go[yo + o * out.elementStride].double
                        let y = lpNorm(taps, xp, es, p: p)
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
        }}}
        return grad
    }
}
