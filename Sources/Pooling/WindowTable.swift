/// The windows of a geometry, ready to walk: per axis, each output position's first real tap,
/// tap count and padded cell count, with spatial strides folded in.
struct WindowTable {
    let axes: [AxisWindows]
    /// Spatial distance between successive taps along each axis (dilation × stride of the axis).
    let tapStrides: [Int]
    /// Per axis and output position: first tap × the axis's spatial stride.
    let bases: [[Int]]
    let outputSizes: [Int]
    /// Output cells per plane.
    let outputsPerPlane: Int
    /// The most real taps of one window.
    let maxTaps: Int
    let input: PlaneLayout
    let output: PlaneLayout

    /// The windows of `g` — for fractional windows from samples, those of `plane`.
    init(_ g: PoolGeometry, plane: Int = 0) {
        axes = g.axisWindows(plane: plane)
        let spatial = g.inputSpatial
        var strides = [Int](repeating: 1, count: spatial.count)
        for a in stride(from: spatial.count - 2, through: 0, by: -1) { strides[a] = strides[a + 1] * spatial[a + 1] }
        tapStrides = zip(axes, strides).map { $0.step * $1 }
        bases = zip(axes, strides).map { axis, st in axis.first.map { $0 * st } }
        outputSizes = g.outputSpatial
        outputsPerPlane = outputSizes.reduce(1, *)
        maxTaps = axes.reduce(1) { $0 * ($1.count.max() ?? 0) }
        input = PlaneLayout(batch: g.batch, channels: g.channels, spatial: spatial.reduce(1, *), layout: g.layout)
        output = PlaneLayout(batch: g.batch, channels: g.channels, spatial: outputsPerPlane, layout: g.layout)
    }

    /// Calls `body(o, taps, paddedCells)` for every output position o of one plane, in row-major
    /// order; `taps` holds the window's real spatial cells in row-major order of kernel offsets.
    /// Returns early when `stop` says so.
    @inline(__always)
    func forEachWindow(scratch: Scratch, stop: inout StopCheck, _ body: (Int, UnsafeBufferPointer<Int>, Int) -> Void) {
        let d = axes.count
        let position = scratch.position
        let taps = scratch.taps
        for a in 0..<d { position[a] = 0 }
        for o in 0..<outputsPerPlane {
            var n = 1
            var padded = 1
            var start = 0
            for a in 0..<d { start += bases[a][position[a]] }
            taps[0] = start
            // Expand axis by axis, in place from the back, keeping row-major order.
            for a in 0..<d {
                let c = axes[a].count[position[a]]
                padded *= axes[a].paddedCount[position[a]]
                let ts = tapStrides[a]
                var i = n - 1
                while i >= 0 {
                    let v = taps[i]
                    var j = c - 1
                    while j >= 0 { taps[i * c + j] = v + j * ts; j -= 1 }
                    i -= 1
                }
                n *= c
            }
            body(o, UnsafeBufferPointer(start: taps, count: n), padded)
            if stop.shouldStop(after: n) { return }
            var a = d - 1
            while a >= 0 {
                position[a] += 1
                if position[a] < outputSizes[a] { break }
                position[a] = 0
                a -= 1
            }
        }
    }

    /// The plane cell an index names (its plane's cell in `tensor` space), or nil if the index
    /// lies outside the plane.
    @inline(__always)
    func planeCell(_ v: Int64, tensorSpace: Bool, planeBase: Int) -> Int? {
        guard v >= 0, v <= Int64(Int.max) else { return nil }
        var s = Int(v)
        if tensorSpace {
            let rel = s - planeBase
            guard rel >= 0, rel % input.elementStride == 0 else { return nil }
            s = rel / input.elementStride
        }
        return s < input.spatial ? s : nil
    }

    /// Whether spatial cell `s` is a tap of output position `o`'s window.
    @inline(__always)
    func contains(_ s: Int, inWindow o: Int) -> Bool {
        if axes.count == 1 {
            let a = axes[0]
            let dx = s - a.first[o]
            return dx >= 0 && (a.step == 1 ? dx < a.count[o] : dx % a.step == 0 && dx / a.step < a.count[o])
        }
        if axes.count == 2 {
            let (ay, ax) = (axes[0], axes[1])
            let (oy, ox) = (o / outputSizes[1], o % outputSizes[1])
            let (sy, sx) = (s / ax.size, s % ax.size)
            let (dy, dx) = (sy - ay.first[oy], sx - ax.first[ox])
            if ay.step == 1 && ax.step == 1 { return dy >= 0 && dx >= 0 && dy < ay.count[oy] && dx < ax.count[ox] }
            return dy >= 0 && dx >= 0 && dy % ay.step == 0 && dx % ax.step == 0
                && dy / ay.step < ay.count[oy] && dx / ax.step < ax.count[ox]
        }
        var rest = o
        var cell = s
        for a in stride(from: axes.count - 1, through: 0, by: -1) {
            let oa = rest % outputSizes[a], sa = cell % axes[a].size
            rest /= outputSizes[a]
            cell /= axes[a].size
            let offset = sa - axes[a].first[oa]
            guard offset >= 0, offset % axes[a].step == 0, offset / axes[a].step < axes[a].count[oa] else { return false }
        }
        return true
    }

    /// Per-worker buffers for ``forEachWindow(scratch:_:)``.
    final class Scratch {
        let position: UnsafeMutablePointer<Int>
        let taps: UnsafeMutablePointer<Int>

        init(_ table: WindowTable) {
            position = .allocate(capacity: max(1, table.axes.count))
            taps = .allocate(capacity: max(1, table.maxTaps))
        }

        deinit {
            position.deallocate()
            taps.deallocate()
        }
    }
}
