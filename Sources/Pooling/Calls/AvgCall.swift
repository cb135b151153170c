/// Avg forward (``Pool/avgForward(_:geometry:options:cancellation:)``) on each path; `y` is
/// uninitialized and every path writes all of it.
struct AvgForwardCall<Element: PoolScalar>: KernelCall {
    let geometry: PoolGeometry
    let options: AvgOptions
    let x: UnsafePointer<Element>
    let y: UnsafeMutablePointer<Element>
    let cancellation: Cancellation?

    var rule: RuleChoice { .none }

    func rows<V: Lanes, R: MaxRule, S: LaneStride>(_ kernel: RowKernel, _: V.Type, _: R.Type, _: S.Type) {
        let w = kernel.windows, options = self.options
        let (x, y) = (cast(x, V.self), cast(y, V.self))
        let factors = kernel.avgColumnFactors(options)
        factors.withUnsafeBufferPointer { f in
            let factors = f.baseAddress!
            Parallel.forEachChunk(geometry.batch * geometry.channels, work: geometry.work, cancellation: cancellation) { planes in
                var stop = StopCheck(cancellation)
                let rows = UnsafeMutablePointer<Int>.allocate(capacity: w.maxRows)
                defer { rows.deallocate() }
                for p in planes where !stop.stopped {
                    kernel.avgForward(x + p * w.inPlane, y + p * w.outPlane, options: options, columnFactors: factors, rows: rows,
                                      stop: &stop, V.self, S.self)
                }
            }
        }
    }

    func channelsLast<V: Lanes, R: MaxRule>(_ kernel: ChannelsLastKernel, _: V.Type, _: R.Type) {
        let w = kernel.windows, cs = kernel.channels, options = self.options
        let (x, y) = (cast(x, V.self), cast(y, V.self))
        Parallel.forEachChunk(geometry.batch * w.outRows, work: geometry.work, cancellation: cancellation) { units in
            var stop = StopCheck(cancellation)
            let rows = UnsafeMutablePointer<Int>.allocate(capacity: w.maxRows)
            defer { rows.deallocate() }
            kernel.forEachSampleRows(units) { n, rowRange in
                kernel.avgForward(x + n * w.inPlane * cs, y + n * w.outPlane * cs, rows: rowRange, options: options, scratch: rows, stop: &stop, V.self)
            }
        }
    }

    func general() {
        GeneralPath(geometry).avgForward(x, y, options: options, cancellation: cancellation)
    }
}

/// Avg backward (``Pool/avgBackward(gradOutput:geometry:options:cancellation:)``) on each path;
/// `grad` is uninitialized: every path zeroes and fills it.
struct AvgBackwardCall<Element: PoolScalar>: KernelCall {
    let geometry: PoolGeometry
    let options: AvgOptions
    let gy: UnsafePointer<Element>
    let grad: UnsafeMutablePointer<Element>
    let cancellation: Cancellation?

    var rule: RuleChoice { .none }

    func rows<V: Lanes, R: MaxRule, S: LaneStride>(_ kernel: RowKernel, _: V.Type, _: R.Type, _: S.Type) {
        let w = kernel.windows, options = self.options
        let (gy, grad) = (cast(gy, V.self), cast(grad, V.self))
        let factors = kernel.avgColumnFactors(options)
        factors.withUnsafeBufferPointer { f in
            let factors = f.baseAddress!
            Parallel.forEachChunk(geometry.batch * geometry.channels, work: geometry.work, cancellation: cancellation) { planes in
                var stop = StopCheck(cancellation)
                let rows = UnsafeMutablePointer<Int>.allocate(capacity: w.maxRows)
                defer { rows.deallocate() }
                // Strides 1 and 2 gather along the rows; other strides scatter column by column.
                let gather = kernel.vectorized
                let shares = UnsafeMutablePointer<V.Scalar>.allocate(capacity: gather ? kernel.sharesCapacity(lanes: V.width) : 0)
                defer { shares.deallocate() }
                for p in planes where !stop.stopped {
                    if gather {
                        kernel.avgBackwardGather(gy + p * w.outPlane, grad + p * w.inPlane, options: options, columnFactors: factors, rows: rows,
                                                 shares: shares, stop: &stop, V.self)
                    } else {
                        kernel.avgBackward(gy + p * w.outPlane, grad + p * w.inPlane, options: options, columnFactors: factors, rows: rows,
                                           stop: &stop, V.self, S.self)
                    }
                }
            }
        }
    }

    func channelsLast<V: Lanes, R: MaxRule>(_ kernel: ChannelsLastKernel, _: V.Type, _: R.Type) {
        let w = kernel.windows, cs = kernel.channels, options = self.options
        let (gy, grad) = (cast(gy, V.self), cast(grad, V.self))
        let (inSample, outSample) = (w.inPlane * cs, w.outPlane * cs)
        Parallel.forEachChunk(geometry.batch, work: geometry.work, cancellation: cancellation) { samples in
            var stop = StopCheck(cancellation)
            let rows = UnsafeMutablePointer<Int>.allocate(capacity: w.maxRows)
            defer { rows.deallocate() }
            for n in samples where !stop.stopped {
                kernel.avgBackward(gy + n * outSample, grad + n * inSample, rows: 0..<w.outRows, options: options, scratch: rows, stop: &stop, V.self)
            }
        }
    }

    func general() {
        grad.initialize(repeating: 0, count: geometry.inputCount)
        GeneralPath(geometry).avgBackward(gy, grad, options: options, cancellation: cancellation)
    }
}
