/// The general N-d path and the reference of the fast layers: every window's real cells
/// gathered into a list of taps (``WindowTable``), one (n, c) plane at a time, for any window
/// (fixed, adaptive, global), any rule (`ties: split` too), any layout and any ``PoolScalar``.
/// Output and gradient buffers come zeroed where the op adds into them.
struct GeneralPath {
    let geometry: PoolGeometry
    let table: WindowTable

    init(_ g: PoolGeometry) {
        geometry = g
        table = WindowTable(g)
    }

    /// Whether every plane has its own windows (fractional pooling from samples).
    var windowsPerPlane: Bool {
        if case .fractional(let w) = geometry.window { return !w.samePerPlane }
        return false
    }

    /// The windows of plane `p`: ``table`` unless every plane has its own.
    @inline(__always)
    func table(plane p: Int) -> WindowTable {
        windowsPerPlane ? WindowTable(geometry, plane: p) : table
    }

    /// Whether the windows are fixed (avg's countIncludePad applies only to those).
    var fixed: Bool { if case .fixed = geometry.window { return true } else { return false } }

    /// Calls `body(p, taps-walker)` for every plane, on all cores, each chunk with its own
    /// scratch and stop check.
    @inline(__always)
    func forEachPlane(work: Int, cancellation: Cancellation?, _ body: (Int, WindowTable.Scratch, inout StopCheck) -> Void) {
        let table = self.table
        Parallel.forEachChunk(table.input.planes, work: work, cancellation: cancellation) { planes in
            var stop = StopCheck(cancellation)
            let scratch = WindowTable.Scratch(table)
            for p in planes where !stop.stopped { body(p, scratch, &stop) }
        }
    }
}
