#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ConventionPath {
    /// The divisor of a window under ``FrameworkRules/divisor`` and its number of real cells.
    @inline(__always)
    func divisor(_ taps: ConventionWindows.Taps) -> (divisor: Int, real: Int) {
        var real = 0, padded = 0
        for k in taps.kinds { if k == .real { real += 1 }; if k != .overhang { padded += 1 } }
        switch rules.divisor {
        case .paddedWindow: return (padded, real)
        case .realCells: return (real, real)
        case .kernel: return (taps.count, real)
        }
    }

    /// Average forward: the sum of the real cells in scan order, in `T`, over the divisor.
    func avgForward<T: PoolScalar>(_ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, cancellation: Cancellation?) {
        let (inPlane, outPlane) = (inputPlane, outputPlane)
        forEachPlane(cancellation: cancellation) { n, c, taps, stop in
            for o in 0..<outPlane {
                if stop.shouldStop(after: windows.cells) { return }
                windows.taps(of: o, into: &taps)
                var sum: T = 0
                for t in 0..<taps.count where taps.kinds[t] == .real { sum += x[offset(n: n, c: c, s: taps.cells[t], plane: inPlane)] }
                let (d, real) = divisor(taps)
                let value: T
                switch (real, rules.emptyAverage) {
                case (0, .zero): value = 0
                case (0, .torch7Extents): value = windows.torch7Extents(of: o) == 0 ? .nan : 0
                default: value = sum / T(d)
                }
                y[offset(n: n, c: c, s: o, plane: outPlane)] = value
            }
        }
    }

    /// Average backward: each window's gradient over its divisor to each real cell (`grad` zeroed).
    func avgBackward<T: PoolScalar>(_ gy: UnsafePointer<T>, _ grad: UnsafeMutablePointer<T>, cancellation: Cancellation?) {
        let (inPlane, outPlane) = (inputPlane, outputPlane)
        forEachPlane(cancellation: cancellation) { n, c, taps, stop in
            for o in 0..<outPlane {
                if stop.shouldStop(after: windows.cells) { return }
                windows.taps(of: o, into: &taps)
                let (d, real) = divisor(taps)
                guard real > 0 else { continue }
                let share = gy[offset(n: n, c: c, s: o, plane: outPlane)] / T(d)
                for t in 0..<taps.count where taps.kinds[t] == .real { grad[offset(n: n, c: c, s: taps.cells[t], plane: inPlane)] += share }
            }
        }
    }

    /// Lp forward: (Σ f(x)ᵖ)^(1/p) over the real cells, f = |x| or x, in `Double`.
    func lpForward<T: PoolScalar>(_ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, p: Double, cancellation: Cancellation?) {
        let outPlane = outputPlane
        forEachPlane(cancellation: cancellation) { n, c, taps, stop in
            for o in 0..<outPlane {
                if stop.shouldStop(after: windows.cells) { return }
                windows.taps(of: o, into: &taps)
                y[offset(n: n, c: c, s: o, plane: outPlane)] = T(double: lpNorm(taps, x, n: n, c: c, p: p))
            }
        }
    }

    @inline(__always)
    func lpNorm<T: PoolScalar>(_ taps: ConventionWindows.Taps, _ x: UnsafePointer<T>, n: Int, c: Int, p: Double) -> Double {
        var sum = 0.0
        for t in 0..<taps.count where taps.kinds[t] == .real {
            let v = x[offset(n: n, c: c, s: taps.cells[t], plane: inputPlane)].double
            sum += Self.power(rules.lpAbsolute ? abs(v) : v, p)
        }
        return Self.power(sum, 1 / p)
    }

    /// xᵖ as C's `pow` (exact squares for p = 2).
    @inline(__always)
    static func power(_ x: Double, _ p: Double) -> Double { p == 1 ? x : p == 2 ? x * x : pow(x, p) }

    /// Lp backward: ∂/∂x (Σ f(x)ᵖ)^(1/p) = f′(x)·f(x)^(p−1)·norm^(1−p), times the window's gradient.
    /// Under Torch7's rules a cell in no window still gets its `Power` module's element-wise term
    /// times a zero gradient, 0·xᵖ⁻¹: NaN where x is NaN or ±∞ (or negative with a fractional p).
    func lpBackward<T: PoolScalar>(_ x: UnsafePointer<T>, _ gy: UnsafePointer<T>, _ grad: UnsafeMutablePointer<T>, p: Double,
                                   cancellation: Cancellation?) {
        let (inPlane, outPlane) = (inputPlane, outputPlane)
        let elementwise = rules.lpZeroNorm == .torch7
        forEachPlane(cancellation: cancellation) { n, c, taps, stop in
            var covered = [Bool](repeating: false, count: elementwise ? inPlane : 0)
            defer {
                for s in 0..<covered.count where !covered[s] {
                    let at = offset(n: n, c: c, s: s, plane: inPlane)
                    grad[at] += T(double: 0 * Self.power(x[at].double, p - 1))
                }
            }
            for o in 0..<outPlane {
                if stop.shouldStop(after: windows.cells) { return }
                windows.taps(of: o, into: &taps)
                let norm = lpNorm(taps, x, n: n, c: c, p: p)
                let g = gy[offset(n: n, c: c, s: o, plane: outPlane)].double
                for t in 0..<taps.count where taps.kinds[t] == .real {
                    if elementwise { covered[taps.cells[t]] = true }
                    let at = offset(n: n, c: c, s: taps.cells[t], plane: inPlane)
                    let v = x[at].double
                    let d: Double
                    if norm == 0 && (rules.lpZeroNorm == .zero || p == 2) {
                        d = 0
                    } else if rules.lpAbsolute {
                        d = (v > 0 ? 1 : v < 0 ? -1 : 0) * Self.power(abs(v), p - 1) * Self.power(norm, 1 - p)
                    } else {
                        d = Self.power(v, p - 1) * Self.power(norm, 1 - p)
                    }
                    grad[at] += T(double: g * d)
                }
            }
        }
    }
}
