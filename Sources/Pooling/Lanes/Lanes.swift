/// A vector of consecutive elements that the fast kernels compute on: `SIMD8<Float>` or
/// `SIMD4<Double>` (two SSE registers each, which keeps a window's running maximum and its
/// indices in registers on the baseline x86-64 target; wider targets split them less).
///
/// Every operation is a requirement implemented on the concrete type, so that a kernel generic
/// over `Lanes` and specialized for it compiles to vector instructions rather than lane loops.
protocol Lanes {
    associatedtype Scalar: PoolScalar
    /// Per-lane cell numbers: `Int32` lanes for `Float` (planes up to 2³¹ cells), `Int64` for
    /// `Double`; also the storage of the comparison masks.
    associatedtype Index: SIMD where Index.Scalar: FixedWidthInteger & SignedInteger
    /// `Double` lanes of the same count: avg sums and divisors.
    associatedtype Wide

    /// The number of lanes.
    static var width: Int { get }
    /// The largest plane (in cells) whose cell numbers fit ``Index``.
    static var maxPlane: Int { get }

    /// `v` in every lane.
    static func splat(_ v: Scalar) -> Self
    /// `p[0]`, …, `p[width − 1]`.
    static func load(_ p: UnsafePointer<Scalar>) -> Self
    /// `p[0]`, `p[2]`, …, `p[2·(width − 1)]` (one double-width load, its even half). It reads
    /// `p[2·width − 1]` too, one cell past the last lane: the caller keeps that cell inside the
    /// tensor (``RowKernel/lastPassesRowEnd``).
    static func loadEven(_ p: UnsafePointer<Scalar>) -> Self
    /// The lanes of ``loadEven(_:)`` from two loads of `width` cells that end at the last lane's
    /// cell, `p[2·(width − 1)]` (the even cells of the first, the odd cells of the second).
    static func loadEvenEnding(_ p: UnsafePointer<Scalar>) -> Self
    /// Writes the lanes to `p[0]`, …, `p[width − 1]`.
    func store(_ p: UnsafeMutablePointer<Scalar>)

    /// Max under rule `R` with the selected cells: where `v` (cell `cell` of every lane's
    /// window) replaces the running maximum `m` by ``MaxRule``, `m` takes `v` and `index` takes
    /// `cell`.
    static func step<R: MaxRule>(_ m: inout Self, _ index: inout Index, _ v: Self, cell: Int, _: R.Type)
    /// Max under rule `R`, values only. Under the default rules `m` takes `v` where `v > m` (one
    /// `maxps`) and `nan` notes the lanes that met a NaN, which ``finish(_:_:_:)`` then sets to
    /// NaN; under the others it is ``step(_:_:_:cell:_:)`` without the cells.
    static func step<R: MaxRule>(_ m: inout Self, _ nan: inout SIMDMask<Index>, _ v: Self, _: R.Type)
    /// The maximum of ``step(_:_:_:_:)``'s lanes.
    static func finish<R: MaxRule>(_ m: Self, _ nan: SIMDMask<Index>, _: R.Type) -> Self
    /// `cell` in every lane.
    static func splatIndex(_ cell: Int) -> Index
    /// Writes the lanes of `index` to `p[0]`, …, `p[width − 1]` (one store; then read them one
    /// by one, rather than extracting lanes from a register in a loop).
    static func store(_ index: Index, _ p: UnsafeMutablePointer<Index.Scalar>)
    /// Lane `i` of `index`, plus `i · laneStep`.
    static func cell(_ index: Index, lane i: Int, laneStep: Int) -> Int
    /// Writes `base + index[i] · scale + i · laneStep` to `p[i]` for every lane.
    static func storeCells(_ index: Index, scale: Int, laneStep: Int, base: Int, _ p: UnsafeMutablePointer<Int64>)

    /// `width` cell numbers from `p[0]`, …, `p[width − 1]` minus `shift`, or nil when one lies
    /// outside 0..<``maxPlane``.
    static func loadCells(_ p: UnsafePointer<Int64>, minus shift: Int64) -> Index?
    /// Marks in `hits` the lanes whose cell lies in `start + i·laneStep ... start + i·laneStep + span`.
    static func mark(_ hits: inout SIMDMask<Index>, _ cells: Index, start: Int, laneStep: Int, span: Int)
    /// Whether every lane is marked.
    static func all(_ hits: SIMDMask<Index>) -> Bool

    /// Zero in every `Double` lane.
    static var zeroWide: Wide { get }
    /// `d` in every `Double` lane.
    static func splatWide(_ d: Double) -> Wide
    /// `sum += v`, in `Double`.
    static func accumulate(_ sum: inout Wide, _ v: Self)
    /// `d[0]`, …, `d[width − 1]` times `scale`.
    static func loadWide(_ d: UnsafePointer<Double>, times scale: Double) -> Wide
    /// `sum / divisor` rounded to the element type.
    static func quotient(_ sum: Wide, _ divisor: Wide) -> Self
    /// `a + b`.
    static func sum(_ a: Self, _ b: Self) -> Self
    /// The double-width span `p[0]`, …, `p[2·width − 1]` as its even and odd cells.
    static func loadHalves(_ p: UnsafePointer<Scalar>) -> (even: Self, odd: Self)
    /// Writes `even[i]` to `p[2i]` and `odd[i]` to `p[2i + 1]` (one interleaving store: the
    /// standard library's `evenHalf`/`oddHalf` setters go lane by lane).
    static func storeInterleaved(_ even: Self, _ odd: Self, _ p: UnsafeMutablePointer<Scalar>)
    /// `p[i] += v[i]`.
    static func add(_ v: Self, to p: UnsafeMutablePointer<Scalar>)
    /// `p[2i] += v[i]` (the other cells of the double-width span unchanged: read and written
    /// back, `p[2·width − 1]` included, which must therefore be inside the tensor and written by
    /// no other thread).
    static func addEven(_ v: Self, to p: UnsafeMutablePointer<Scalar>)
    /// `p[2i] += v[i]`, touching no other cell (lane by lane).
    static func addEvenEnding(_ v: Self, to p: UnsafeMutablePointer<Scalar>)
}
