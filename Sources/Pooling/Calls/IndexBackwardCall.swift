/// Max backward from indices (``Pool/maxBackward(gradOutput:indices:geometry:indexSpace:cancellation:)``)
/// on each path: checks every index against its window and scatters in one pass. `grad` is
/// uninitialized: every path zeroes and fills it. Its work, for the choice of one core or all,
/// is every output read plus every gradInput cell written (the zero-fill is most of it). ``firstBad`` is the first output element
/// (in flat order) whose index is not a cell of its window, if any.
final class IndexBackwardCall<Element: PoolScalar>: KernelCall {
    let geometry: PoolGeometry
    let indexSpace: IndexSpace
    let indices: UnsafePointer<Int64>
    let gy: UnsafePointer<Element>
    let grad: UnsafeMutablePointer<Element>
    let cancellation: Cancellation?
    private(set) var firstBad: Int?

    init(geometry: PoolGeometry, indexSpace: IndexSpace, indices: UnsafePointer<Int64>, gy: UnsafePointer<Element>,
         grad: UnsafeMutablePointer<Element>, cancellation: Cancellation?) {
        (self.geometry, self.indexSpace, self.indices, self.gy, self.grad, self.cancellation) = (geometry, indexSpace, indices, gy, grad, cancellation)
    }

    var rule: RuleChoice { .none }

    func rows<V: Lanes, R: MaxRule, S: LaneStride>(_ kernel: RowKernel, _: V.Type, _: R.Type, _: S.Type) {
        let w = kernel.windows
        let scatter = IndexScatter(windows: w, channels: 1, tensorSpace: indexSpace == .tensor)
        let (indices, gy, grad, cancellation) = (self.indices, cast(self.gy, V.self), cast(self.grad, V.self), self.cancellation)
        let bad = Parallel.chunks(geometry.batch * geometry.channels, work: geometry.outputCount + geometry.inputCount, cancellation: cancellation, initial: Int?.none) { planes in
            let rows = UnsafeMutablePointer<Int>.allocate(capacity: w.maxRows)
            let cells = UnsafeMutablePointer<V.Index.Scalar>.allocate(capacity: V.width)
            defer { rows.deallocate(); cells.deallocate() }
            for p in planes where !(cancellation?.isCancelled ?? false) {
                let (xp, yp) = (p * w.inPlane, p * w.outPlane)
                if let o = scatter.plane(indices + yp, gy + yp, grad + xp, planeBase: xp, rows: rows, cellScratch: cells, V.self) { return yp + o }
            }
            return nil
        }
        firstBad = bad.lazy.compactMap { $0 }.first
    }

    func channelsLast<V: Lanes, R: MaxRule>(_ kernel: ChannelsLastKernel, _: V.Type, _: R.Type) {
        let w = kernel.windows, cs = kernel.channels
        let scatter = IndexScatter(windows: w, channels: cs, tensorSpace: indexSpace == .tensor)
        let (indices, gy, grad, cancellation) = (self.indices, cast(self.gy, V.self), cast(self.grad, V.self), self.cancellation)
        let (inSample, outSample) = (w.inPlane * cs, w.outPlane * cs)
        let bad = Parallel.chunks(geometry.batch, work: geometry.outputCount + geometry.inputCount, cancellation: cancellation, initial: Int?.none) { samples in
            let rows = UnsafeMutablePointer<Int>.allocate(capacity: w.maxRows)
            let cells = UnsafeMutablePointer<V.Index.Scalar>.allocate(capacity: V.width)
            defer { rows.deallocate(); cells.deallocate() }
            for n in samples where !(cancellation?.isCancelled ?? false) {
                if let e = scatter.sample(indices + n * outSample, gy + n * outSample, grad + n * inSample, sample: n, rows: rows, cellScratch: cells, V.self) {
                    return n * outSample + e
                }
            }
            return nil
        }
        firstBad = bad.lazy.compactMap { $0 }.first
    }

    func general() {
        grad.initialize(repeating: 0, count: geometry.inputCount)
        firstBad = GeneralPath(geometry).maxBackward(indices: indices, gy, grad, tensorSpace: indexSpace == .tensor, cancellation: cancellation)
    }
}
