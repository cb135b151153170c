/// Lp forward (``Pool/lpForward(_:geometry:p:cancellation:)``) on each path (channels_first
/// takes the general path: its cost is the `pow` per tap); `y` is uninitialized.
struct LpForwardCall<Element: PoolScalar>: KernelCall {
    let geometry: PoolGeometry
    let p: Double
    let x: UnsafePointer<Element>
    let y: UnsafeMutablePointer<Element>
    let cancellation: Cancellation?

    var rule: RuleChoice { .none }

    func rows<V: Lanes, R: MaxRule, S: LaneStride>(_ kernel: RowKernel, _: V.Type, _: R.Type, _: S.Type) { general() }

    func channelsLast<V: Lanes, R: MaxRule>(_ kernel: ChannelsLastKernel, _: V.Type, _: R.Type) {
        let w = kernel.windows, cs = kernel.channels, p = self.p
        let (x, y) = (self.x, self.y)
        Parallel.forEachChunk(geometry.batch * w.outRows, work: geometry.work, cancellation: cancellation) { units in
            var stop = StopCheck(cancellation)
            let rows = UnsafeMutablePointer<Int>.allocate(capacity: w.maxRows)
            let scratch = UnsafeMutablePointer<Double>.allocate(capacity: 2 * cs)
            defer { rows.deallocate(); scratch.deallocate() }
            kernel.forEachSampleRows(units) { n, rowRange in
                kernel.lpForward(x + n * w.inPlane * cs, y + n * w.outPlane * cs, rows: rowRange, p: p, scratch: rows,
                                 norm: scratch, sum: scratch + cs, stop: &stop)
            }
        }
    }

    func general() {
        GeneralPath(geometry).lpForward(x, y, p: p, cancellation: cancellation)
    }
}

/// Lp backward (``Pool/lpBackward(gradOutput:input:geometry:p:cancellation:)``) on each path;
/// `grad` is uninitialized: every path zeroes and fills it.
struct LpBackwardCall<Element: PoolScalar>: KernelCall {
    let geometry: PoolGeometry
    let p: Double
    let x: UnsafePointer<Element>
    let gy: UnsafePointer<Element>
    let grad: UnsafeMutablePointer<Element>
    let cancellation: Cancellation?

    var rule: RuleChoice { .none }

    func rows<V: Lanes, R: MaxRule, S: LaneStride>(_ kernel: RowKernel, _: V.Type, _: R.Type, _: S.Type) { general() }

    func channelsLast<V: Lanes, R: MaxRule>(_ kernel: ChannelsLastKernel, _: V.Type, _: R.Type) {
        let w = kernel.windows, cs = kernel.channels, p = self.p
        let (x, gy, grad) = (self.x, self.gy, self.grad)
        let (inSample, outSample) = (w.inPlane * cs, w.outPlane * cs)
        Parallel.forEachChunk(geometry.batch, work: geometry.work, cancellation: cancellation) { samples in
            var stop = StopCheck(cancellation)
            let rows = UnsafeMutablePointer<Int>.allocate(capacity: w.maxRows)
            let scratch = UnsafeMutablePointer<Double>.allocate(capacity: 2 * cs)
            defer { rows.deallocate(); scratch.deallocate() }
            for n in samples where !stop.stopped {
                kernel.lpBackward(x + n * inSample, gy + n * outSample, grad + n * inSample, rows: 0..<w.outRows, p: p, scratch: rows,
                                  norm: scratch, sum: scratch + cs, stop: &stop)
            }
        }
    }

    func general() {
        grad.initialize(repeating: 0, count: geometry.inputCount)
        GeneralPath(geometry).lpBackward(x, gy, grad, p: p, cancellation: cancellation)
    }
}
