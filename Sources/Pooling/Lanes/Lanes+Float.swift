/// `SIMD8<Float>` lanes: `Int32` cell numbers, sums in `SIMD8<Double>`.
extension SIMD8: Lanes where Scalar == Float {
    typealias Index = SIMD8<Int32>
    /// float32 sums stay float32, as PyTorch's float kernels keep them (opmath of float is float):
    /// the same roundings, and the same overflow to ±Infinity near the top of the range.
    typealias Wide = SIMD8<Float>

    @inline(__always) static var width: Int { 8 }
    @inline(__always) static var maxPlane: Int { Int(Int32.max) }

    @inline(__always) static func splat(_ v: Float) -> Self { Self(repeating: v) }
    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> Self { UnsafeRawPointer(p).loadUnaligned(as: Self.self) }
    @inline(__always) static func loadEven(_ p: UnsafePointer<Float>) -> Self { UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self).evenHalf }
    @inline(__always)
    static func loadEvenEnding(_ p: UnsafePointer<Float>) -> Self {
        // p[0…7] and p[7…14]: the even cells of the first, the odd cells of the second.
        let (low, high) = (UnsafeRawPointer(p).loadUnaligned(as: Self.self), UnsafeRawPointer(p + 7).loadUnaligned(as: Self.self))
        return Self(lowHalf: low.evenHalf, highHalf: high.oddHalf)
    }
    @inline(__always) func store(_ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: self, as: Self.self) }

    /// Where `v` replaces `m` under `R` (see ``MaxRule``).
    @inline(__always)
    static func takes<R: MaxRule>(_ v: Self, over m: Self, _: R.Type) -> SIMDMask<Index> {
        if R.propagate { return (R.preferLast ? v .>= m : v .> m) .| (v .!= v) }
        let mIsNaN = m .!= m
        return R.preferLast ? (v .>= m) .| mIsNaN : (v .> m) .| (mIsNaN .& (v .== v))
    }

    @inline(__always)
    static func step<R: MaxRule>(_ m: inout Self, _ index: inout Index, _ v: Self, cell: Int, _ r: R.Type) {
        let take = takes(v, over: m, r)
        m.replace(with: v, where: take)
        index.replace(with: Index(repeating: Int32(truncatingIfNeeded: cell)), where: take)
    }

    @inline(__always)
    static func step<R: MaxRule>(_ m: inout Self, _ nan: inout SIMDMask<Index>, _ v: Self, _ r: R.Type) {
        if R.propagate && !R.preferLast {
            m.replace(with: v, where: v .> m)
            nan = nan .| (v .!= v)
        } else {
            m.replace(with: v, where: takes(v, over: m, r))
        }
    }

    @inline(__always)
    static func finish<R: MaxRule>(_ m: Self, _ nan: SIMDMask<Index>, _: R.Type) -> Self {
        R.propagate && !R.preferLast ? m.replacing(with: Self(repeating: .nan), where: nan) : m
    }

    @inline(__always) static func store(_ index: Index, _ p: UnsafeMutablePointer<Int32>) { UnsafeMutableRawPointer(p).storeBytes(of: index, as: Index.self) }
    @inline(__always) static func splatIndex(_ cell: Int) -> Index { Index(repeating: Int32(truncatingIfNeeded: cell)) }
    @inline(__always) static func cell(_ index: Index, lane i: Int, laneStep: Int) -> Int { Int(index[i]) + i * laneStep }

    @inline(__always)
    static func storeCells(_ index: Index, scale: Int, laneStep: Int, base: Int, _ p: UnsafeMutablePointer<Int64>) {
        // 64-bit lane multiplies are emulated on SSE2: only where the scale or step asks for them.
        var cells = SIMD8<Int64>(truncatingIfNeeded: index)
        if scale != 1 { cells &*= SIMD8<Int64>(repeating: Int64(scale)) }
        if laneStep == 1 { cells &+= SIMD8<Int64>(0, 1, 2, 3, 4, 5, 6, 7) } else if laneStep != 0 { cells &+= SIMD8<Int64>(0, 1, 2, 3, 4, 5, 6, 7) &* SIMD8<Int64>(repeating: Int64(laneStep)) }
        if base != 0 { cells &+= SIMD8<Int64>(repeating: Int64(base)) }
        UnsafeMutableRawPointer(p).storeBytes(of: cells, as: SIMD8<Int64>.self)
    }

    @inline(__always)
    static func loadCells(_ p: UnsafePointer<Int64>, minus shift: Int64) -> Index? {
        let v = UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Int64>.self) &- SIMD8<Int64>(repeating: shift)
        // One lane below 0 or above Int32.max sets a bit above bit 30 of the OR of all lanes.
        let any = (v.lowHalf | v.highHalf)
        let bits = (any.lowHalf | any.highHalf)
        guard (bits[0] | bits[1]) & ~Int64(Int32.max) == 0 else { return nil }
        return Index(truncatingIfNeeded: v)
    }

    @inline(__always)
    static func mark(_ hits: inout SIMDMask<Index>, _ cells: Index, start: Int, laneStep: Int, span: Int) {
        // Vector against vector throughout: the mixed vector-scalar comparisons are lane loops.
        let first = Index(repeating: Int32(truncatingIfNeeded: start)) &+ Index(0, 1, 2, 3, 4, 5, 6, 7) &* Index(repeating: Int32(truncatingIfNeeded: laneStep))
        let offset = cells &- first
        hits = hits .| ((offset .>= Index()) .& (offset .<= Index(repeating: Int32(truncatingIfNeeded: span))))
    }

    @inline(__always)
    static func all(_ hits: SIMDMask<Index>) -> Bool {
        // The standard library's all() is a lane-by-lane reduction; an AND of the halves' bits is two instructions.
        let bits = unsafeBitCast(hits, to: Index.self)
        let half = unsafeBitCast(bits.lowHalf & bits.highHalf, to: SIMD2<UInt64>.self)
        return half[0] & half[1] == .max
    }

    @inline(__always) static var zeroWide: Wide { Wide() }
    @inline(__always) static func accumulate(_ sum: inout Wide, _ v: Self) { sum += v }
    @inline(__always) static func splatWide(_ d: Double) -> Wide { Wide(repeating: Float(d)) }
    @inline(__always)
    static func loadWide(_ d: UnsafePointer<Double>, times scale: Double) -> Wide {
        Wide(UnsafeRawPointer(d).loadUnaligned(as: SIMD8<Double>.self) * SIMD8<Double>(repeating: scale))
    }
    @inline(__always) static func quotient(_ sum: Wide, _ divisor: Wide) -> Self { sum / divisor }
    @inline(__always) static func sum(_ a: Self, _ b: Self) -> Self { a + b }
    @inline(__always)
    static func loadHalves(_ p: UnsafePointer<Float>) -> (even: Self, odd: Self) {
        let pair = UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
        return (pair.evenHalf, pair.oddHalf)
    }
    @inline(__always)
    static func storeInterleaved(_ e: Self, _ o: Self, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: SIMD16<Float>(e[0], o[0], e[1], o[1], e[2], o[2], e[3], o[3], e[4], o[4], e[5], o[5], e[6], o[6], e[7], o[7]), as: SIMD16<Float>.self)
    }
    @inline(__always) static func add(_ v: Self, to p: UnsafeMutablePointer<Float>) { (load(p) + v).store(p) }
    @inline(__always)
    static func addEven(_ v: Self, to p: UnsafeMutablePointer<Float>) {
        let (even, odd) = loadHalves(p)
        storeInterleaved(even + v, odd, p)
    }
    @inline(__always)
    static func addEvenEnding(_ v: Self, to p: UnsafeMutablePointer<Float>) {
        for i in 0..<8 { p[2 * i] += v[i] }
    }
}
