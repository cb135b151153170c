
/// A ``BodyProducer`` that writes piece after piece into one reused buffer: piece `k` of
/// `pieceCount` is written by `writePiece(k, &buffer)` when the previous one has been sent.
///
/// For a tensor answer: the text of elements `k·m ..< (k+1)·m` per piece, so the text held at
/// any time is one piece instead of the whole answer.
public final class PiecewiseBody: BodyProducer {
    /// See ``BodyProducer/length``.
    public let length: Int?
    /// See ``BodyProducer/retainedBytes``.
    public let retainedBytes: Int
    private let pieceCount: Int
    private let writePiece: @Sendable (Int, inout [UInt8]) -> Void
    private struct State {
        var buffer: [UInt8] = []
        var offset = 0
        var next = 0
    }
    private let state = Locked(State())

    /// A body of `pieceCount` pieces; `length` when the total is known in advance (it must then
    /// be exact), `retainedBytes` what the closure's captures hold.
    public init(pieceCount: Int, length: Int? = nil, retainedBytes: Int = 0,
                writePiece: @escaping @Sendable (_ index: Int, _ buffer: inout [UInt8]) -> Void) {
        self.pieceCount = pieceCount
        self.length = length
        self.retainedBytes = retainedBytes
        self.writePiece = writePiece
    }

    /// See ``BodyProducer/read(into:)``.
    public func read(into target: UnsafeMutableRawBufferPointer) -> Int {
        state.withLock { s in
            while s.offset == s.buffer.count {
                guard s.next < pieceCount else { return 0 }
                s.buffer.removeAll(keepingCapacity: true)
                s.offset = 0
                writePiece(s.next, &s.buffer)
                s.next += 1
            }
            let n = min(target.count, s.buffer.count - s.offset)
            s.buffer.withUnsafeBytes { source in
                target.baseAddress!.copyMemory(from: source.baseAddress! + s.offset, byteCount: n)
            }
            s.offset += n
            return n
        }
    }
}
