/// The rules by which one value beats the current maximum of a window.
struct MaxSelection {
    let nan: NaNPolicy
    /// Ties go to the later value (``TieRule/last``).
    let preferLast: Bool

    /// The default rules (NaN propagates, first of ties, or `split`): selection by
    /// ``PoolScalar/maxKey`` with ``winsByKey(_:over:)``.
    let byKey: Bool

    init(_ options: MaxOptions) {
        nan = options.nan
        preferLast = options.ties == .last
        byKey = options.nan == .propagate && options.ties != .last
    }

    /// Whether `v`, met after `b` in scan order, replaces the current maximum `b`.
    ///
    /// propagate: every NaN replaces the running maximum (so the last NaN of a window is
    /// selected, as PyTorch's kernels do, whatever the tie rule), and no number replaces a NaN.
    /// ignore: `b` is NaN only while nothing else was seen; any number wins, and a NaN never
    /// replaces a number.
    @inline(__always)
    func wins<T: PoolScalar>(_ v: T, over b: T) -> Bool {
        if nan == .propagate {
            if v.isNaN { return true }
            if b.isNaN { return false }
        } else {
            if b.isNaN { return !v.isNaN || preferLast }
            if v.isNaN { return false }
        }
        return preferLast ? v >= b : v > b
    }

    /// ``wins(_:over:)`` under the default rules, on ``PoolScalar/maxKey`` order keys (every
    /// NaN is `Int64.max`): a larger key, or any NaN.
    @inline(__always)
    static func winsByKey(_ key: Int64, over bestKey: Int64) -> Bool { key > bestKey || key == .max }

    /// Whether `v` ties with the selected maximum `b` (two NaNs tie).
    @inline(__always)
    func ties<T: PoolScalar>(_ v: T, _ b: T) -> Bool { v == b || (v.isNaN && b.isNaN) }

    /// The position in `taps` of the selected cell of plane `x` (cell s at `x[s·es]`).
    @inline(__always)
    func select<T: PoolScalar>(_ taps: UnsafeBufferPointer<Int>, _ x: UnsafePointer<T>, _ es: Int) -> Int {
        if byKey {
            var best = 0
            var bestKey = x[taps[0] * es].maxKey
            var t = 1
            while t < taps.count {
                let key = x[taps[t] * es].maxKey
                let wins = Self.winsByKey(key, over: bestKey)
                best = wins ? t : best
                bestKey = wins ? key : bestKey
                t += 1
            }
            return best
        }
        var best = 0
        var bv = x[taps[0] * es]
        var t = 1
        while t < taps.count {
            let v = x[taps[t] * es]
            if wins(v, over: bv) { best = t; bv = v }
            t += 1
        }
        return best
    }

    /// Calls `body(tap)` for each tap tied with the selected value `bv` (every NaN when `bv` is NaN).
    @inline(__always)
    func forEachTie<T: PoolScalar>(_ taps: UnsafeBufferPointer<Int>, _ x: UnsafePointer<T>, _ es: Int, _ bv: T,
                                   _ body: (Int) -> Void) {
        for s in taps where ties(x[s * es], bv) { body(s) }
    }

    /// The number of taps tied with `bv`.
    @inline(__always)
    func tieCount<T: PoolScalar>(_ taps: UnsafeBufferPointer<Int>, _ x: UnsafePointer<T>, _ es: Int, _ bv: T) -> Int {
        var n = 0
        for s in taps where ties(x[s * es], bv) { n += 1 }
        return n
    }
}
