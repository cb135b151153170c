import CMicroHTTPD

/// libmicrohttpd response objects made from a ``Response`` without copying its body.
enum MHDResponse {
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
                if let cls { Unmanaged<Producer>.fromOpaque(cls).release() }
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
            if let cls { Unmanaged<Buffer>.fromOpaque(cls).release() }
        }, box)
        if handle == nil { Unmanaged<Buffer>.fromOpaque(box).release() }
        return handle
    }
}
