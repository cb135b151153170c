#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ChannelsLastKernel {
    /// Every channel's Lp norm of one window (sample base `x`), into `norm` (`sum`: scratch of
    /// C doubles): ``Pool/lpNorm(_:_:_:p:)`` channel by channel, in the same order of taps,
    /// with the loops over taps outside the loops over channels so that loads are contiguous.
    @inline(__always)
    func lpNorms<T: PoolScalar>(_ x: UnsafePointer<T>, _ rows: UnsafePointer<Int>, _ rowCount: Int, first: Int, count: Int, p: Double,
                                norm: UnsafeMutablePointer<Double>, sum: UnsafeMutablePointer<Double>) {
        let cs = channels, dx = windows.dilationX
        norm.initialize(repeating: 0, count: cs)
        forEachTap(rows, rowCount, first: first, count: count, dilation: dx) { t in
            let xt = x + t * cs
            for c in 0..<cs {
                let a = Swift.abs(xt[c].double)
                norm[c] = norm[c].isNaN || a.isNaN ? .nan : Swift.max(norm[c], a)
            }
        }
        // A NaN, 0 or ∞ maximum is the norm; the others sum their scaled powers.
        let scaled = (0..<cs).contains { c in Self.needsSum(norm[c]) }
        guard scaled else { return }
        sum.initialize(repeating: 0, count: cs)
        forEachTap(rows, rowCount, first: first, count: count, dilation: dx) { t in
            let xt = x + t * cs
            for c in 0..<cs where Self.needsSum(norm[c]) {
                let a = Swift.abs(xt[c].double)
                sum[c] += p == 1 ? a : pow(a / norm[c], p)
            }
        }
        for c in 0..<cs where Self.needsSum(norm[c]) {
            let m = norm[c]
            norm[c] = p == 1 ? sum[c] : (p == 2 ? m * sum[c].squareRoot() : m * pow(sum[c], 1 / p))
        }
    }

    @inline(__always)
    static func needsSum(_ m: Double) -> Bool { !(m.isNaN || m == 0 || m.isInfinite) }

    /// Calls `body(t)` for each tap of a window, row-major.
    @inline(__always)
    func forEachTap(_ rows: UnsafePointer<Int>, _ rowCount: Int, first: Int, count: Int, dilation dx: Int, _ body: (Int) -> Void) {
        for r in 0..<rowCount {
            var t = rows[r] + first
            for _ in 0..<count {
                body(t)
                t += dx
            }
        }
    }

    /// Lp forward over output rows `range` of one sample (`norm`, `sum`: scratch of C doubles).
    func lpForward<T: PoolScalar>(_ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, rows range: Range<Int>, p: Double,
                                  scratch rows: UnsafeMutablePointer<Int>, norm: UnsafeMutablePointer<Double>, sum: UnsafeMutablePointer<Double>,
                                  stop: inout StopCheck) {
        let w = windows, cs = channels
        forEachRow(range, rows, zeroing: UnsafeMutablePointer<T>?.none, stop: &stop) { q, rowCount, _, stop in
            for ox in 0..<w.outWidth {
                let (first, count) = column(ox)
                lpNorms(x, rows, rowCount, first: first, count: count, p: p, norm: norm, sum: sum)
                let o = (q * w.outWidth + ox) * cs
                for c in 0..<cs { y[o + c] = T(double: norm[c]) }
                if stop.shouldStop(after: rowCount * count * cs) { return }
            }
        }
    }

    /// Lp backward over output rows `range` of one sample: `grad` (the sample's, zeroed
    /// here; `range` is all its rows) gets gy·sign(x)·(|x|/y)^(p−1) at each real cell of each window (0 where y or x is 0).
    func lpBackward<T: PoolScalar>(_ x: UnsafePointer<T>, _ gy: UnsafePointer<T>, _ grad: UnsafeMutablePointer<T>, rows range: Range<Int>, p: Double,
                                   scratch rows: UnsafeMutablePointer<Int>, norm: UnsafeMutablePointer<Double>, sum: UnsafeMutablePointer<Double>,
                                   stop: inout StopCheck) {
        let w = windows, cs = channels
        forEachRow(range, rows, zeroing: grad, stop: &stop) { q, rowCount, _, stop in
            for ox in 0..<w.outWidth {
                let (first, count) = column(ox)
                lpNorms(x, rows, rowCount, first: first, count: count, p: p, norm: norm, sum: sum)
                let o = (q * w.outWidth + ox) * cs
                forEachTap(rows, rowCount, first: first, count: count, dilation: w.dilationX) { t in
                    for c in 0..<cs {
                        let y = norm[c], v = x[t * cs + c].double
                        guard y != 0, v != 0 else { continue }
                        let a = Swift.abs(v) / y
                        let d = p == 1 ? (v.isNaN ? .nan : 1) : (p == 2 ? a : pow(a, p - 1))
                        grad[t * cs + c] += T(double: gy[o + c].double * (v < 0 ? -d : d))
                    }
                }
                if stop.shouldStop(after: 2 * rowCount * count * cs) { return }
            }
        }
    }
}
