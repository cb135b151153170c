import CZlib

/// Decodes a gzip or deflate body piece by piece as it arrives, in bounded steps, appending the
/// decoded bytes to a buffer and stopping as soon as they pass a limit.
final class Inflater {
    /// Why a body could not be decoded.
    enum Failure: Error, Equatable {
        /// The decoded bytes passed the limit.
        case tooLarge
        /// The bytes are not valid gzip / deflate (zlib's message).
        case corrupt(String)
        /// The stream ended before its end marker.
        case truncated
    }

    private let stream: UnsafeMutablePointer<z_stream>
    private let scratch: UnsafeMutableBufferPointer<UInt8>
    private let coding: ContentCoding
    private var started = false
    private var ended = false
    private var closed = false
    /// Bytes decoded in one step at most (the unit of the limit check).
    private static let step = 256 * 1024

    /// An inflater for `coding` (gzip or deflate).
    init(coding: ContentCoding) {
        self.coding = coding
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        scratch = .allocate(capacity: Self.step)
    }

    deinit {
        if started { inflateEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
        scratch.deallocate()
    }

    /// Decodes `input` and appends to `output`; throws ``Failure/tooLarge`` as soon as
    /// `output` would pass `limit` bytes.
    func decode(_ input: UnsafeRawBufferPointer, into output: inout [UInt8], limit: Int) throws(Failure) {
        guard input.count > 0 else { return }
        if !started { try start(firstByte: input[0]) }
        var offset = 0
        while offset < input.count {
            if ended {
                // gzip allows members one after another; anything else after the end is corrupt.
                guard coding == .gzip else { throw .corrupt("bytes after the end of the deflate stream") }
                inflateReset(stream)
                ended = false
            }
            let consumed = try inflateStep(input, from: offset, into: &output, limit: limit)
            offset += consumed
        }
    }

    /// Checks that the stream ended where the body did.
    func finish() throws(Failure) {
        if started && !ended { throw .truncated }
    }

    private func start(firstByte: UInt8) throws(Failure) {
        // deflate is meant to be zlib-wrapped (RFC 9110 §8.4.1.2), but some clients send raw
        // deflate: a zlib stream starts with a CMF byte whose low nibble is 8.
        let windowBits: Int32
        switch coding {
        case .gzip: windowBits = 15 + 16
        case .deflate: windowBits = firstByte & 0x0F == 8 ? 15 : -15
        case .identity: windowBits = 15
        }
        guard czlib_inflate_init(stream, windowBits) == Z_OK else { throw .corrupt("zlib could not start") }
        started = true
    }

    /// Grows `output` to hold `needed` bytes: first to 1 MiB (or the limit, if smaller), then
    /// straight to the limit. Doubling would leave each smaller block it outgrew with the
    /// allocator (which the server tunes to keep freed memory for reuse), so a body that
    /// inflates to the limit would hold about half as much again; a large block is mapped
    /// lazily, so reserving the limit costs address space, not resident memory.
    private static func reserve(_ needed: Int, in output: inout [UInt8], limit: Int) {
        guard needed > output.capacity else { return }
        let first = 1 << 20
        output.reserveCapacity(output.capacity < first ? min(limit, max(needed, first)) : limit)
    }

    /// One bounded `inflate` run over `input[from...]`; returns the input bytes it consumed.
    private func inflateStep(_ input: UnsafeRawBufferPointer, from: Int, into output: inout [UInt8],
                             limit: Int) throws(Failure) -> Int {
        let room = limit - output.count
        let want = min(Self.step, max(room, 0) + 1)
        var produced = 0
        var consumed = 0
        var result: Int32 = Z_OK
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress!.assumingMemoryBound(to: Bytef.self) + from)
        stream.pointee.avail_in = UInt32(input.count - from)
        stream.pointee.next_out = scratch.baseAddress
        stream.pointee.avail_out = UInt32(want)
        result = inflate(stream, Z_NO_FLUSH)
        produced = want - Int(stream.pointee.avail_out)
        consumed = input.count - from - Int(stream.pointee.avail_in)
        // Checked before appending: growing the array past the limit would copy what is held
        // into a block twice its size, the very allocation the limit is there to prevent.
        if output.count + produced > limit { throw .tooLarge }
        Self.reserve(output.count + produced, in: &output, limit: limit)
        output.append(contentsOf: UnsafeBufferPointer(start: scratch.baseAddress, count: produced))
        switch result {
        case Z_STREAM_END: ended = true
        case Z_OK: break
        case Z_BUF_ERROR where produced == 0 && consumed == 0: throw .corrupt("no progress")
        case Z_BUF_ERROR: break
        default:
            let message = stream.pointee.msg.map { String(cString: $0) } ?? "code \(result)"
            throw .corrupt(message)
        }
        if produced == 0 && consumed == 0 && !ended { throw .corrupt("no progress") }
        return consumed
    }
}
