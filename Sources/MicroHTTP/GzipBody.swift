import CZlib

/// A ``BodyProducer`` that compresses another one (gzip or deflate) as the client reads.
final class GzipBody: BodyProducer {
    let length: Int? = nil
    let retainedBytes: Int
    private let source: any BodyProducer
    /// The zlib stream. `@unchecked Sendable` because it holds a C `z_stream` (pointers into
    /// the buffers it works on); it is only used under `lock`.
    private final class Stream: @unchecked Sendable {
        let z = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        let input = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        var sourceEnded = false
        var finished = false
        var ok: Bool
        init(_ coding: ContentCoding) {
            z.initialize(to: z_stream())
            ok = czlib_deflate_init(z, Gzip.level, coding.windowBits) == Z_OK
        }
        deinit {
            if ok { deflateEnd(z) }
            z.deinitialize(count: 1)
            z.deallocate()
            input.deallocate()
        }
    }
    private let stream: Stream
    private let lock = Locked(())

    /// Compresses what `source` writes.
    init(_ source: any BodyProducer, _ coding: ContentCoding = .gzip) {
        self.source = source
        stream = Stream(coding)
        retainedBytes = source.retainedBytes + 64 * 1024
    }

    func read(into target: UnsafeMutableRawBufferPointer) -> Int {
        lock.withLock { _ in
            let s = stream
            guard s.ok else { return -1 }
            guard !s.finished else { return 0 }
            s.z.pointee.next_out = target.baseAddress!.assumingMemoryBound(to: Bytef.self)
            s.z.pointee.avail_out = UInt32(target.count)
            while s.z.pointee.avail_out > 0 {
                if s.z.pointee.avail_in == 0 && !s.sourceEnded {
                    let n = source.read(into: s.input)
                    if n < 0 { return -1 }
                    if n == 0 { s.sourceEnded = true }
                    s.z.pointee.next_in = s.input.baseAddress!.assumingMemoryBound(to: Bytef.self)
                    s.z.pointee.avail_in = UInt32(n)
                }
                let result = deflate(s.z, s.sourceEnded ? Z_FINISH : Z_NO_FLUSH)
                if result == Z_STREAM_END { s.finished = true; break }
                if result != Z_OK && result != Z_BUF_ERROR { return -1 }
            }
            return target.count - Int(s.z.pointee.avail_out)
        }
    }
}
