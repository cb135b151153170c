/// The distance between the input cells of neighbouring output lanes along a row: 1 (shifted
/// loads) or 2 (the even half of a double-width load); a type, so that the choice is made once
/// per call.
protocol LaneStride {
    /// The stride that loads the same lanes from a span that ends at the last lane's cell, for
    /// the vector that holds a row's last window (see ``RowKernel/lastPassesRowEnd``).
    associatedtype Last: LaneStride
    /// The distance, in cells.
    static var cells: Int { get }
    /// `p[0]`, `p[cells]`, …, one per lane.
    static func load<V: Lanes>(_ p: UnsafePointer<V.Scalar>, _: V.Type) -> V
    /// `p[i · cells] += v[i]` for every lane.
    static func add<V: Lanes>(_ v: V, to p: UnsafeMutablePointer<V.Scalar>)
}

/// Stride 1: every load spans the lanes' own cells.
enum UnitStride: LaneStride {
    typealias Last = UnitStride
    static var cells: Int { 1 }
    @inline(__always) static func load<V: Lanes>(_ p: UnsafePointer<V.Scalar>, _: V.Type) -> V { V.load(p) }
    @inline(__always) static func add<V: Lanes>(_ v: V, to p: UnsafeMutablePointer<V.Scalar>) { V.add(v, to: p) }
}

/// Stride 2: the loads (and the adds' read-modify-writes) span the 2·width cells `p[0]`, …,
/// `p[2·width − 1]`, one past the last lane's.
enum DoubleStride: LaneStride {
    typealias Last = DoubleStrideFromEnd
    static var cells: Int { 2 }
    @inline(__always) static func load<V: Lanes>(_ p: UnsafePointer<V.Scalar>, _: V.Type) -> V { V.loadEven(p) }
    @inline(__always) static func add<V: Lanes>(_ v: V, to p: UnsafeMutablePointer<V.Scalar>) { V.addEven(v, to: p) }
}

/// Stride 2 for the vector that ends a row: the same lanes as ``DoubleStride``, from cells
/// `p[0]`, …, `p[2·(width − 1)]` only, which end at the last lane's cell (two single-width loads;
/// the adds go lane by lane).
enum DoubleStrideFromEnd: LaneStride {
    typealias Last = DoubleStrideFromEnd
    static var cells: Int { 2 }
    @inline(__always) static func load<V: Lanes>(_ p: UnsafePointer<V.Scalar>, _: V.Type) -> V { V.loadEvenEnding(p) }
    @inline(__always) static func add<V: Lanes>(_ v: V, to p: UnsafeMutablePointer<V.Scalar>) { V.addEvenEnding(v, to: p) }
}
