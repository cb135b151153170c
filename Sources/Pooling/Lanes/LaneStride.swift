/// The distance between the input cells of neighbouring output lanes along a row: 1 (shifted
/// loads) or 2 (the even half of a double-width load); a type, so that the choice is made once
/// per call.
protocol LaneStride {
    /// The distance, in cells.
    static var cells: Int { get }
    /// `p[0]`, `p[cells]`, …, one per lane.
    static func load<V: Lanes>(_ p: UnsafePointer<V.Scalar>, _: V.Type) -> V
    /// `p[i · cells] += v[i]` for every lane.
    static func add<V: Lanes>(_ v: V, to p: UnsafeMutablePointer<V.Scalar>)
}

/// Stride 1.
enum UnitStride: LaneStride {
    static var cells: Int { 1 }
    @inline(__always) static func load<V: Lanes>(_ p: UnsafePointer<V.Scalar>, _: V.Type) -> V { V.load(p) }
    @inline(__always) static func add<V: Lanes>(_ v: V, to p: UnsafeMutablePointer<V.Scalar>) { V.add(v, to: p) }
}

/// Stride 2: the loads (and the adds' read-modify-writes) span `2·width` cells, one past the
/// last lane's (see ``RowKernel/vectorColumns``).
enum DoubleStride: LaneStride {
    static var cells: Int { 2 }
    @inline(__always) static func load<V: Lanes>(_ p: UnsafePointer<V.Scalar>, _: V.Type) -> V { V.loadEven(p) }
    @inline(__always) static func add<V: Lanes>(_ v: V, to p: UnsafeMutablePointer<V.Scalar>) { V.addEven(v, to: p) }
}
