/// The kernels of framework conventions: one window at a time, every cell in the framework's
/// scan order (``ConventionWindows``), one (n, c) plane per task. Plain and exact rather than
/// fast: PyTorch's rules, the default, run on the fast paths.
struct ConventionPath {
    let geometry: PoolGeometry
    let windows: ConventionWindows
    let rules: FrameworkRules

    init(_ g: PoolGeometry, rules: FrameworkRules) {
        geometry = g
        windows = ConventionWindows(g)
        self.rules = rules
    }

    var inputPlane: Int { windows.inputDims.reduce(1, *) }
    var outputPlane: Int { windows.outputDims.reduce(1, *) }
    var channelsLast: Bool { geometry.layout == .channelsLast }

    /// Where element (n, c, s) of a tensor with `plane` spatial cells lies in the layout.
    @inline(__always)
    func offset(n: Int, c: Int, s: Int, plane: Int) -> Int {
        let cs = geometry.channels
        return channelsLast ? (n * plane + s) * cs + c : (n * cs + c) * plane + s
    }

    /// Calls `body(n, c, taps)` for every plane on all cores; `taps` is the chunk's scratch.
    func forEachPlane(cancellation: Cancellation?, _ body: (Int, Int, inout ConventionWindows.Taps, inout StopCheck) -> Void) {
        let cs = geometry.channels
        Parallel.forEachChunk(geometry.batch * cs, work: geometry.work, cancellation: cancellation) { planes in
            var stop = StopCheck(cancellation)
            var taps = ConventionWindows.Taps(kinds: [], cells: [])
            taps.kinds.reserveCapacity(windows.cells)
            taps.cells.reserveCapacity(windows.cells)
            for p in planes where !stop.stopped { body(p / cs, p % cs, &taps, &stop) }
        }
    }
}
