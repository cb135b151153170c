import CMicroHTTPD
import Synchronization

/// libmicrohttpd response objects made from a ``Response`` without copying its body.
enum MHDResponse {
    /// Set when libmicrohttpd frees a body of 1 MiB or more: the sweep then hands free memory
    /// back to the system. An answer is freed when its connection ends, which for a client that
    /// stopped reading is after the request completed (and after the trim its completion asked
    /// for), so the free itself must ask too.
    static let largeBodyFreed = Atomic<Bool>(false)

    /// The size from which a freed body asks for a trim.
    static let largeBody = 1 << 20

    /// Keeps a body buffer alive until libmicrohttpd is done with it. A native Swift array's
    /// elements do not move while the array is alive and not mutated, so the address handed to
    /// libmicrohttpd stays valid until the free callback releases the box.
    private final class Buffer {
        let bytes: [UInt8]
        init(_ bytes: [UInt8]) { self.bytes = bytes }
    }

    /// Feeds a ``BodyProducer`` to libmicrohttpd's content reader.
    private final class Producer {
        let producer: any BodyProducer
        init(_ producer: any BodyProducer) { self.producer = producer }
    }

    /// The libmicrohttpd response for `response` (caller destroys it after queueing).
    static func make(_ response: Response) -> OpaquePointer? {
        if let producer = response.producer {
            let box = Unmanaged.passRetained(Producer(producer)).toOpaque()
            let size = producer.length.map { UInt64($0) } ?? UInt64.max // MHD_SIZE_UNKNOWN
            let handle = MHD_create_response_from_callback(size, 64 * 1024, { cls, _, buffer, max in
                guard let cls, let buffer else { return MHD_CONTENT_READER_END_WITH_ERROR }
                let producer = Unmanaged<Producer>.fromOpaque(cls).takeUnretainedValue().producer
                let n = producer.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: max))
                if n == 0 { return MHD_CONTENT_READER_END_OF_STREAM }
                return n < 0 ? MHD_CONTENT_READER_END_WITH_ERROR : n
            }, box, { cls in
                guard let cls else { return }
                let box = Unmanaged<Producer>.fromOpaque(cls)
                if (box.takeUnretainedValue().producer.length ?? Int.max) >= MHDResponse.largeBody {
                    MHDResponse.largeBodyFreed.store(true, ordering: .relaxed)
                }
                box.release()
            })
            if handle == nil { Unmanaged<Producer>.fromOpaque(box).release() }
            return handle
        }
        guard !response.body.isEmpty else {
            return MHD_create_response_from_buffer(0, nil, MHD_ResponseMemoryMode.RESPMEM_PERSISTENT)
        }
        let buffer = Buffer(response.body)
        let base = buffer.bytes.withUnsafeBytes { UnsafeMutableRawPointer(mutating: $0.baseAddress!) }
        let box = Unmanaged.passRetained(buffer).toOpaque()
        let handle = MHD_create_response_from_buffer_with_free_callback_cls(buffer.bytes.count, base, { cls in
            guard let cls else { return }
            let box = Unmanaged<Buffer>.fromOpaque(cls)
            if box.takeUnretainedValue().bytes.count >= MHDResponse.largeBody { MHDResponse.largeBodyFreed.store(true, ordering: .relaxed) }
            box.release()
        }, box)
        if handle == nil { Unmanaged<Buffer>.fromOpaque(box).release() }
        return handle
    }
}
