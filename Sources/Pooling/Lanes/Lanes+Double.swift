/// `SIMD4<Double>` lanes: `Int64` cell numbers.
extension SIMD4: Lanes where Scalar == Double {
    typealias Index = SIMD4<Int64>
    typealias Wide = SIMD4<Double>

    @inline(__always) static var width: Int { 4 }
    @inline(__always) static var maxPlane: Int { Int.max }

    @inline(__always) static func splat(_ v: Double) -> Self { Self(repeating: v) }
    @inline(__always) static func load(_ p: UnsafePointer<Double>) -> Self { UnsafeRawPointer(p).loadUnaligned(as: Self.self) }
    @inline(__always) static func loadEven(_ p: UnsafePointer<Double>) -> Self { UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Double>.self).evenHalf }
    @inline(__always)
    static func loadEvenEnding(_ p: UnsafePointer<Double>) -> Self {
        // p[0…3] and p[3…6]: the even cells of the first, the odd cells of the second.
        let (low, high) = (UnsafeRawPointer(p).loadUnaligned(as: Self.self), UnsafeRawPointer(p + 3).loadUnaligned(as: Self.self))
        return Self(lowHalf: low.evenHalf, highHalf: high.oddHalf)
    }
    @inline(__always) func store(_ p: UnsafeMutablePointer<Double>) { UnsafeMutableRawPointer(p).storeBytes(of: self, as: Self.self) }

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
        index.replace(with: Index(repeating: Int64(cell)), where: take)
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

    @inline(__always) static func store(_ index: Index, _ p: UnsafeMutablePointer<Int64>) { UnsafeMutableRawPointer(p).storeBytes(of: index, as: Index.self) }
    @inline(__always) static func splatIndex(_ cell: Int) -> Index { Index(repeating: Int64(cell)) }
    @inline(__always) static func cell(_ index: Index, lane i: Int, laneStep: Int) -> Int { Int(index[i]) + i * laneStep }

    @inline(__always)
    static func storeCells(_ index: Index, scale: Int, laneStep: Int, base: Int, _ p: UnsafeMutablePointer<Int64>) {
        // 64-bit lane multiplies are emulated on SSE2: only where the scale or step asks for them.
        var cells = index
        if scale != 1 { cells &*= SIMD4<Int64>(repeating: Int64(scale)) }
        if laneStep == 1 { cells &+= SIMD4<Int64>(0, 1, 2, 3) } else if laneStep != 0 { cells &+= SIMD4<Int64>(0, 1, 2, 3) &* SIMD4<Int64>(repeating: Int64(laneStep)) }
        if base != 0 { cells &+= SIMD4<Int64>(repeating: Int64(base)) }
        UnsafeMutableRawPointer(p).storeBytes(of: cells, as: SIMD4<Int64>.self)
    }

    @inline(__always)
    static func loadCells(_ p: UnsafePointer<Int64>, minus shift: Int64) -> Index? {
        let v = UnsafeRawPointer(p).loadUnaligned(as: Index.self) &- Index(repeating: shift)
        let any = v.lowHalf | v.highHalf
        guard any[0] | any[1] >= 0 else { return nil }
        return v
    }

    @inline(__always)
    static func mark(_ hits: inout SIMDMask<Index>, _ cells: Index, start: Int, laneStep: Int, span: Int) {
        let first = Index(repeating: Int64(start)) &+ Index(0, 1, 2, 3) &* Index(repeating: Int64(laneStep))
        let offset = cells &- first
        hits = hits .| ((offset .>= Index()) .& (offset .<= Index(repeating: Int64(span))))
    }

    @inline(__always)
    static func all(_ hits: SIMDMask<Index>) -> Bool {
        let bits = unsafeBitCast(hits, to: Index.self)
        let half = bits.lowHalf & bits.highHalf
        return half[0] & half[1] == -1
    }

    @inline(__always) static var zeroWide: Wide { Wide() }
    @inline(__always) static func accumulate(_ sum: inout Wide, _ v: Self) { sum += v }
    @inline(__always) static func splatWide(_ d: Double) -> Wide { Wide(repeating: d) }
    @inline(__always)
    static func loadWide(_ d: UnsafePointer<Double>, times scale: Double) -> Wide {
        UnsafeRawPointer(d).loadUnaligned(as: Wide.self) * Wide(repeating: scale)
    }
    @inline(__always) static func quotient(_ sum: Wide, _ divisor: Wide) -> Self { sum / divisor }
    @inline(__always) static func sum(_ a: Self, _ b: Self) -> Self { a + b }
    @inline(__always)
    static func loadHalves(_ p: UnsafePointer<Double>) -> (even: Self, odd: Self) {
        let pair = UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Double>.self)
        return (pair.evenHalf, pair.oddHalf)
    }
    @inline(__always)
    static func storeInterleaved(_ e: Self, _ o: Self, _ p: UnsafeMutablePointer<Double>) {
        UnsafeMutableRawPointer(p).storeBytes(of: SIMD8<Double>(e[0], o[0], e[1], o[1], e[2], o[2], e[3], o[3]), as: SIMD8<Double>.self)
    }
    @inline(__always) static func add(_ v: Self, to p: UnsafeMutablePointer<Double>) { (load(p) + v).store(p) }
    @inline(__always)
    static func addEven(_ v: Self, to p: UnsafeMutablePointer<Double>) {
        let (even, odd) = loadHalves(p)
        storeInterleaved(even + v, odd, p)
    }
    @inline(__always)
    static func addEvenEnding(_ v: Self, to p: UnsafeMutablePointer<Double>) {
        for i in 0..<4 { p[2 * i] += v[i] }
    }
}
