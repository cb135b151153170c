/// Max backward from the input (``Pool/maxBackward(gradOutput:input:geometry:options:cancellation:)``)
/// on each path. `grad` is uninitialized: every path zeroes and fills it.
struct MaxBackwardCall<Element: PoolScalar>: KernelCall {
    let geometry: PoolGeometry
    let options: MaxOptions
    let x: UnsafePointer<Element>
    let gy: UnsafePointer<Element>
    let grad: UnsafeMutablePointer<Element>
    let cancellation: Cancellation?

    var rule: RuleChoice { RuleChoice(options) }

    func rows<V: Lanes, R: MaxRule, S: LaneStride>(_ kernel: RowKernel, _: V.Type, _: R.Type, _: S.Type) {
        let w = kernel.windows
        let (x, gy, grad) = (cast(x, V.self), cast(gy, V.self), cast(grad, V.self))
        Parallel.forEachChunk(geometry.batch * geometry.channels, work: geometry.work, cancellation: cancellation) { planes in
            var stop = StopCheck(cancellation)
            let rows = UnsafeMutablePointer<Int>.allocate(capacity: w.maxRows)
            defer { rows.deallocate() }
            for p in planes where !stop.stopped {
                kernel.maxBackward(x + p * w.inPlane, gy + p * w.outPlane, grad + p * w.inPlane, rows: rows, stop: &stop, V.self, R.self, S.self)
            }
        }
    }

    func channelsLast<V: Lanes, R: MaxRule>(_ kernel: ChannelsLastKernel, _: V.Type, _: R.Type) {
        let w = kernel.windows, cs = kernel.channels
        let (x, gy, grad) = (cast(x, V.self), cast(gy, V.self), cast(grad, V.self))
        let (inSample, outSample) = (w.inPlane * cs, w.outPlane * cs)
        // Whole samples per chunk: the rows of one sample add into the same cells.
        Parallel.forEachChunk(geometry.batch, work: geometry.work, cancellation: cancellation) { samples in
            var stop = StopCheck(cancellation)
            let rows = UnsafeMutablePointer<Int>.allocate(capacity: w.maxRows)
            defer { rows.deallocate() }
            for n in samples where !stop.stopped {
                kernel.maxBackward(x + n * inSample, gy + n * outSample, grad + n * inSample, rows: 0..<w.outRows, scratch: rows,
                                   stop: &stop, V.self, R.self)
            }
        }
    }

    func general() {
        grad.initialize(repeating: 0, count: geometry.inputCount)
        GeneralPath(geometry).maxBackward(x, gy, grad, options: options, cancellation: cancellation)
    }
}
