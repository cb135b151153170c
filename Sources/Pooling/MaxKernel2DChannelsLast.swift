/// The 2-D max kernel for channels_last tensors under the default rules: one output position
/// (n, oy, ox) at a time, all channels together, so every load is contiguous. Work is split by
/// output rows (n, oy).
struct MaxKernel2DChannelsLast {
    let kernel: MaxKernel2D
    let channels: Int

    /// Forward over the whole batch: output, and optionally indices (plane or tensor space).
    /// No mask: rows of one sample share mask cells, so chunks split by rows would race on it.
    /// `work` is the geometry's (outputs × window cells).
    func forward<T: PoolScalar>(_ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, batch: Int,
                                indices: UnsafeMutablePointer<Int64>?, tensorSpace: Bool, work: Int, cancellation: Cancellation?) {
        let k = kernel, c = channels
        let (inPlane, outPlane) = (k.height * k.width, k.outHeight * k.outWidth)
        parallelChunks(batch * k.outHeight, work: work, cancellation: cancellation) { rows in
            var stop = StopCheck(cancellation)
            let bestKey = UnsafeMutablePointer<Int64>.allocate(capacity: c)
            let best = UnsafeMutablePointer<Int>.allocate(capacity: c)
            defer { bestKey.deallocate(); best.deallocate() }
            for row in rows {
                let (n, oy) = (row / k.outHeight, row % k.outHeight)
                let xn = x + n * inPlane * c
                let (fy, cy) = (k.firstY[oy], k.countY[oy])
                for ox in 0..<k.outWidth {
                    let (fx, cx) = (k.firstX[ox], k.countX[ox])
                    let first = fy * k.width + fx
                    for ch in 0..<c { bestKey[ch] = xn[first * c + ch].maxKey; best[ch] = first }
                    var rowStart = first
                    for _ in 0..<cy {
                        var s = rowStart
                        for _ in 0..<cx {
                            let p = xn + s * c
                            for ch in 0..<c {
                                let key = p[ch].maxKey
                                let wins = MaxSelection.winsByKey(key, over: bestKey[ch])
                                bestKey[ch] = wins ? key : bestKey[ch]
                                best[ch] = wins ? s : best[ch]
                            }
                            s += k.stepX
                        }
                        rowStart += k.stepY * k.width
                    }
                    let o = (n * outPlane + oy * k.outWidth + ox) * c
                    for ch in 0..<c {
                        let s = best[ch]
                        y[o + ch] = xn[s * c + ch]
                        if let indices { indices[o + ch] = Int64(tensorSpace ? (n * inPlane + s) * c + ch : s) }
                    }
                    if stop.shouldStop(after: cy * cx * c) { return }
                }
            }
        }
    }
}
