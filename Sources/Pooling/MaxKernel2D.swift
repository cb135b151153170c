/// The row kernel of 1-D and 2-D pooling (1-D as one row): one plane at a time, windows walked
/// row by row in row-major order of the kernel offsets, without gathering taps. Max selects
/// under `rule` (any tie rule but `split`); the default rules compare integer order keys with
/// selects instead of branches.
struct MaxKernel2D {
    let rule: MaxSelection
    let height: Int, width: Int
    let outHeight: Int, outWidth: Int
    let firstY: UnsafeBufferPointer<Int>, countY: UnsafeBufferPointer<Int>, stepY: Int
    let firstX: UnsafeBufferPointer<Int>, countX: UnsafeBufferPointer<Int>, stepX: Int

    /// Runs `body` with a kernel over `table`'s rows (see ``WindowTable/rows``; valid only
    /// inside `body`).
    static func with<R>(_ table: WindowTable, rule: MaxSelection = MaxSelection(MaxOptions()), _ body: (MaxKernel2D) -> R) -> R {
        let rows = table.rows!
        let (ay, ax) = (rows.y, rows.x)
        return ay.first.withUnsafeBufferPointer { fy in
            ay.count.withUnsafeBufferPointer { cy in
                ax.first.withUnsafeBufferPointer { fx in
                    ax.count.withUnsafeBufferPointer { cx in
                        body(MaxKernel2D(rule: rule, height: ay.size, width: ax.size, outHeight: rows.outHeight, outWidth: rows.outWidth,
                                         firstY: fy, countY: cy, stepY: ay.step, firstX: fx, countX: cx, stepX: ax.step))
                    }
                }
            }
        }
    }

    /// Calls `body(o, oy, ox, start, cy, cx)` for each output position o = (oy, ox) of one plane:
    /// its window's first real cell and its `cy` rows of `cx` real cells. Returns early when
    /// `stop` says so.
    @inline(__always)
    func forEachWindow(stop: inout StopCheck, _ body: (_ o: Int, _ oy: Int, _ ox: Int, _ start: Int, _ cy: Int, _ cx: Int) -> Void) {
        var o = 0
        for oy in 0..<outHeight {
            let (fy, cy) = (firstY[oy], countY[oy])
            for ox in 0..<outWidth {
                let cx = countX[ox]
                body(o, oy, ox, fy * width + firstX[ox], cy, cx)
                if stop.shouldStop(after: cy * cx) { return }
                o += 1
            }
        }
    }

    /// Calls `body(s)` for each cell of the window whose first cell is `start`, row-major.
    @inline(__always)
    func forEachCell(_ start: Int, _ cy: Int, _ cx: Int, _ body: (Int) -> Void) {
        var row = start
        for _ in 0..<cy {
            var s = row
            for _ in 0..<cx {
                body(s)
                s += stepX
            }
            row += stepY * width
        }
    }

    /// Calls `body(o, s)` for each output position o of one plane with the cell s it selects.
    @inline(__always)
    func forEachSelection<T: PoolScalar>(_ x: UnsafePointer<T>, _ es: Int, stop: inout StopCheck, _ body: (Int, Int) -> Void) {
        if rule.byKey {
            forEachWindow(stop: &stop) { o, _, _, start, cy, cx in body(o, selectByKey(x, es, start, cy, cx)) }
        } else {
            forEachWindow(stop: &stop) { o, _, _, start, cy, cx in
                var best = start
                var bv = x[start * es]
                forEachCell(start, cy, cx) { s in
                    let v = x[s * es]
                    if rule.wins(v, over: bv) { bv = v; best = s }
                }
                body(o, best)
            }
        }
    }

    /// Forward over one plane: x's cell s at `x[s·es]`, output o at `y[o·os]`; the selected cell
    /// of output o goes to `selected[o·os]` when given (plane index plus `indexBase`, cells ·
    /// `indexScale`), and the mask at `mask[s·es]` is incremented.
    @inline(__always)
    func forward<T: PoolScalar>(_ x: UnsafePointer<T>, _ es: Int, _ y: UnsafeMutablePointer<T>, _ os: Int,
                                selected: UnsafeMutablePointer<Int64>?, indexBase: Int, indexScale: Int,
                                mask: UnsafeMutablePointer<T>?, stop: inout StopCheck) {
        forEachSelection(x, es, stop: &stop) { o, best in
            y[o * os] = x[best * es]
            if let selected { selected[o * os] = Int64(indexBase + best * indexScale) }
            if let mask { mask[best * es] += 1 }
        }
    }

    /// The selected cell of the window whose first tap is `start`, `cy` rows of `cx` taps, under
    /// the default rules: the last NaN, else the first maximum in row-major order, compared by
    /// ``PoolScalar/maxKey`` with selects rather than branches (random data makes the branch
    /// unpredictable).
    @inline(__always)
    func selectByKey<T: PoolScalar>(_ x: UnsafePointer<T>, _ es: Int, _ start: Int, _ cy: Int, _ cx: Int) -> Int {
        var best = start
        var bestKey = x[start * es].maxKey
        forEachCell(start, cy, cx) { s in
            let key = x[s * es].maxKey
            let wins = MaxSelection.winsByKey(key, over: bestKey)
            best = wins ? s : best
            bestKey = wins ? key : bestKey
        }
        return best
    }

    /// Backward from the input over one plane: `grad[s·es] += gy[o·os]` for each output o and
    /// its selected cell s.
    @inline(__always)
    func backward<T: PoolScalar>(_ x: UnsafePointer<T>, _ es: Int, _ gy: UnsafePointer<T>, _ os: Int, _ grad: UnsafeMutablePointer<T>,
                                 stop: inout StopCheck) {
        forEachSelection(x, es, stop: &stop) { o, best in grad[best * es] += gy[o * os] }
    }
}
