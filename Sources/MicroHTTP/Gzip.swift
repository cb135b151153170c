import CZlib

/// gzip (RFC 1952) or deflate (RFC 1950) compression of answers, at zlib's fastest level: on
/// float text it takes a few milliseconds per MB and makes the answer 2–4× smaller (README,
/// Operations).
enum Gzip {
    /// zlib's level: 1 is the fastest.
    static let level: Int32 = 1

    /// `input` compressed, or nil when zlib fails.
    static func compress(_ input: [UInt8], as coding: ContentCoding = .gzip) -> [UInt8]? {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deinitialize(count: 1); stream.deallocate() }
        guard czlib_deflate_init(stream, level, coding.windowBits) == Z_OK else { return nil }
        defer { deflateEnd(stream) }
        let bound = Int(deflateBound(stream, UInt(input.count)))
        var output = [UInt8](repeating: 0, count: bound)
        let written: Int? = input.withUnsafeBytes { source in
            output.withUnsafeMutableBytes { target in
                stream.pointee.next_in = UnsafeMutablePointer(mutating: source.baseAddress?.assumingMemoryBound(to: Bytef.self))
                stream.pointee.avail_in = UInt32(source.count)
                stream.pointee.next_out = target.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = UInt32(target.count)
                guard deflate(stream, Z_FINISH) == Z_STREAM_END else { return nil }
                return target.count - Int(stream.pointee.avail_out)
            }
        }
        guard let written else { return nil }
        output.removeLast(output.count - written)
        return output
    }
}
