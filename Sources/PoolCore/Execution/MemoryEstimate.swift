/// The memory a validated call holds at its peak: its tensors in memory, and its answer once a
/// front end has written it (whose size per element depends on the wire: text, base64, binary).
public struct MemoryEstimate: Sendable, Equatable {
    /// Bytes of the tensors read and computed.
    public let tensorBytes: Int
    /// Elements of each kind the answer carries.
    public let answerValues: Int
    public let answerIndices: Int

    /// The estimate of `job` run on `request`.
    public init(_ job: PoolJob, _ request: PoolRequest) {
        let g = job.geometry
        let size = job.dtype == .float64 ? 8 : 4
        var values = 0, indices = 0, tensors = 0
        if request.computesForward {
            let wantIndices = job.returns.contains(.indices), wantMask = job.returns.contains(.mask)
            tensors += size * (g.inputCount + g.outputCount + (wantMask ? g.inputCount : 0)) + (wantIndices ? 8 * g.outputCount : 0)
            values += (job.returns.contains(.output) ? g.outputCount : 0) + (wantMask ? g.inputCount : 0)
            indices += wantIndices ? g.outputCount : 0
        }
        if request.computesBackward {
            let readsInput = request.input != nil && !request.computesForward
            tensors += size * (g.outputCount + g.inputCount * (readsInput ? 2 : 1)) + (request.indices == nil ? 0 : 8 * g.outputCount)
            values += g.inputCount
        }
        if let samples = job.drawnSamples { values += samples.count }
        tensorBytes = tensors
        answerValues = values
        answerIndices = indices
    }

    /// The total for an answer that takes `valueBytes` per value and `indexBytes` per index
    /// (plus a little for the framing).
    public func bytes(valueBytes: Int, indexBytes: Int) -> Int {
        tensorBytes + answerBytes(valueBytes: valueBytes, indexBytes: indexBytes)
    }

    /// The answer's part of ``bytes(valueBytes:indexBytes:)``.
    public func answerBytes(valueBytes: Int, indexBytes: Int) -> Int {
        answerValues * valueBytes + answerIndices * indexBytes + 256
    }
}
