extension WindowTable {
    /// Whether ``forEachSelection2D(_:_:_:_:)`` applies: two spatial dims.
    var isTwoDimensional: Bool { axes.count == 2 }

    /// The geometry as rows and columns, for the row kernels: 2-D as it is, 1-D as one row.
    /// Nil for three or more spatial dims.
    var rows: (y: AxisWindows, x: AxisWindows, outHeight: Int, outWidth: Int)? {
        switch axes.count {
        case 2: return (axes[0], axes[1], outputSizes[0], outputSizes[1])
        case 1: return (AxisWindows(size: 1, outputSize: 1), axes[0], 1, outputSizes[0])
        default: return nil
        }
    }

    /// For 2-D geometries: calls `body(o, s)` with each output position o of one plane and the
    /// spatial cell s its window selects under `rule`, scanning the window's rows directly
    /// (row-major order of the kernel offsets, as the general path) without gathering taps.
    @inline(__always)
    func forEachSelection2D<T: PoolScalar>(_ xp: UnsafePointer<T>, _ es: Int, _ rule: MaxSelection, _ body: (Int, Int) -> Void) {
        // The default rules (NaN propagates, first of ties) get their own loop with the
        // comparison written out, so the inner loop has no rule branches.
        if rule.nan == .propagate && !rule.preferLast {
            scan2D(xp, es, { v, b in v > b || (v != v && b == b) }, body)
        } else {
            scan2D(xp, es, { v, b in rule.wins(v, over: b) }, body)
        }
    }

    @inline(__always)
    private func scan2D<T: PoolScalar>(_ xp: UnsafePointer<T>, _ es: Int, _ wins: (T, T) -> Bool, _ body: (Int, Int) -> Void) {
        let (ay, ax) = (axes[0], axes[1])
        let width = ax.size
        let (stepY, stepX) = (ay.step, ax.step)
        let outW = outputSizes[1]
        ay.first.withUnsafeBufferPointer { firstY in
        ay.count.withUnsafeBufferPointer { countY in
        ax.first.withUnsafeBufferPointer { firstX in
        ax.count.withUnsafeBufferPointer { countX in
            for oy in 0..<outputSizes[0] {
                let (fy, cy) = (firstY[oy], countY[oy])
                for ox in 0..<outW {
                    let (fx, cx) = (firstX[ox], countX[ox])
                    var best = fy * width + fx
                    var bv = xp[best * es]
                    var row = best
                    for _ in 0..<cy {
                        var s = row
                        for _ in 0..<cx {
                            let v = xp[s * es]
                            if wins(v, bv) { bv = v; best = s }
                            s += stepX
                        }
                        row += stepY * width
                    }
                    body(oy * outW + ox, best)
                }
            }
        }}}}
    }
}
