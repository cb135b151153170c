/// Max forward (``Pool/maxForward(_:geometry:options:indices:mask:cancellation:)``) on each path.
/// `y`, `indices` and `mask` are uninitialized: every path writes every element it is given.
struct MaxForwardCall<Element: PoolScalar>: KernelCall {
    let geometry: PoolGeometry
    let options: MaxOptions
    let x: UnsafePointer<Element>
    let y: UnsafeMutablePointer<Element>
    let indices: UnsafeMutablePointer<Int64>?
    let mask: UnsafeMutablePointer<Element>?
    let cancellation: Cancellation?

    var rule: RuleChoice { RuleChoice(options) }
    var tensorSpace: Bool { options.indexSpace == .tensor }

    func rows<V: Lanes, R: MaxRule, S: LaneStride>(_ kernel: RowKernel, _: V.Type, _: R.Type, _: S.Type) {
        let w = kernel.windows
        let (x, y, mask) = (cast(x, V.self), cast(y, V.self), mask.map { cast($0, V.self) })
        let (indices, tensorSpace) = (self.indices, self.tensorSpace)
        Parallel.forEachChunk(geometry.batch * geometry.channels, work: geometry.work, cancellation: cancellation) { planes in
            var stop = StopCheck(cancellation)
            let rows = UnsafeMutablePointer<Int>.allocate(capacity: w.maxRows)
            defer { rows.deallocate() }
            for p in planes where !stop.stopped {
                let (xp, yp) = (p * w.inPlane, p * w.outPlane)
                kernel.maxForward(x + xp, y + yp, cells: indices.map { $0 + yp }, cellBase: tensorSpace ? xp : 0,
                                  mask: mask.map { $0 + xp }, rows: rows, stop: &stop, V.self, R.self, S.self)
            }
        }
    }

    func channelsLast<V: Lanes, R: MaxRule>(_ kernel: ChannelsLastKernel, _: V.Type, _: R.Type) {
        let w = kernel.windows, cs = kernel.channels
        let (x, y, mask) = (cast(x, V.self), cast(y, V.self), mask.map { cast($0, V.self) })
        let (indices, tensorSpace) = (self.indices, self.tensorSpace)
        let (inSample, outSample) = (w.inPlane * cs, w.outPlane * cs)
        // With a mask, whole samples per chunk: the rows of one sample add into the same mask cells.
        let units = mask == nil ? geometry.batch * w.outRows : geometry.batch
        Parallel.forEachChunk(units, work: geometry.work, cancellation: cancellation) { range in
            var stop = StopCheck(cancellation)
            let rows = UnsafeMutablePointer<Int>.allocate(capacity: w.maxRows)
            defer { rows.deallocate() }
            let sampleRows = mask == nil ? range : (range.lowerBound * w.outRows)..<(range.upperBound * w.outRows)
            kernel.forEachSampleRows(sampleRows) { n, rowRange in
                let m = mask.map { $0 + n * inSample }
                kernel.maxForward(x + n * inSample, y + n * outSample, rows: rowRange, cells: indices.map { $0 + n * outSample },
                                  tensorSpace: tensorSpace, cellBase: n * inSample,
                                  mask: m, scratch: rows, stop: &stop, V.self, R.self)
            }
        }
    }

    func general() {
        mask?.initialize(repeating: 0, count: geometry.inputCount)
        GeneralPath(geometry).maxForward(x, y, indices: indices, mask: mask, options: options, cancellation: cancellation)
    }
}
