/// The 2-D (and 1-D, as one row) average kernel: one plane at a time, windows summed row by row without gathering
/// taps. Divisors follow ``Pool/divisor(_:real:padded:fixed:)``.
struct AvgKernel2D {
    let kernel: MaxKernel2D
    /// Per output row and column: the taps inside the padded border (countIncludePad).
    let paddedY: UnsafeBufferPointer<Int>, paddedX: UnsafeBufferPointer<Int>

    /// Runs `body` with a kernel over `table`'s two axes (valid only inside `body`).
    static func with<R>(_ table: WindowTable, _ body: (AvgKernel2D) -> R) -> R {
        let rows = table.rows!
        return MaxKernel2D.with(table) { k in
            rows.y.paddedCount.withUnsafeBufferPointer { py in
                rows.x.paddedCount.withUnsafeBufferPointer { px in
                    body(AvgKernel2D(kernel: k, paddedY: py, paddedX: px))
                }
            }
        }
    }

    @inline(__always)
    func divisor(_ options: AvgOptions, _ oy: Int, _ ox: Int, fixed: Bool) -> Double {
        let k = kernel
        return Pool.divisor(options, real: k.countY[oy] * k.countX[ox], padded: paddedY[oy] * paddedX[ox], fixed: fixed)
    }

    /// Forward over one plane (cell s at `x[s·es]`, output o at `y[o·os]`).
    @inline(__always)
    func forward<T: PoolScalar>(_ x: UnsafePointer<T>, _ es: Int, _ y: UnsafeMutablePointer<T>, _ os: Int, _ options: AvgOptions, fixed: Bool,
                                stop: inout StopCheck) {
        kernel.forEachWindow(stop: &stop) { o, oy, ox, start, cy, cx in
            var sum = 0.0
            kernel.forEachCell(start, cy, cx) { sum += x[$0 * es].double }
            y[o * os] = T(double: sum / divisor(options, oy, ox, fixed: fixed))
        }
    }

    /// Backward over one plane: each window's gradient / divisor added to its real cells.
    @inline(__always)
    func backward<T: PoolScalar>(_ gy: UnsafePointer<T>, _ os: Int, _ grad: UnsafeMutablePointer<T>, _ es: Int, _ options: AvgOptions, fixed: Bool,
                                 stop: inout StopCheck) {
        kernel.forEachWindow(stop: &stop) { o, oy, ox, start, cy, cx in
            let share = T(double: gy[o * os].double / divisor(options, oy, ox, fixed: fixed))
            kernel.forEachCell(start, cy, cx) { grad[$0 * es] += share }
        }
    }
}
