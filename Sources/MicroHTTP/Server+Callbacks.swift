import CMicroHTTPD

// The one place where libmicrohttpd's C callbacks enter Swift. Each callback finds its `Server`
// through the `cls` pointer (unretained: the server outlives its daemon) and the request's
// `RequestContext` through `con_cls` (retained here, released in `requestCompleted`).

/// libmicrohttpd's access handler: called first with the headers, then with each piece of
/// body, then once more with no data when the body is complete.
let accessHandler: MHD_AccessHandlerCallback = { cls, connection, url, method, _, uploadData, uploadSize, conCls in
    guard let cls, let connection, let conCls, let uploadSize else { return MHD_Result.NO }
    let server = Unmanaged<Server>.fromOpaque(cls).takeUnretainedValue()
    guard let raw = conCls.pointee else {
        let context = RequestContext(method: HTTPMethod(rawValue: method.map { String(cString: $0) } ?? ""),
                                     path: url.map { String(cString: $0) } ?? "/")
        collectHeaders(of: connection, into: context)
        conCls.pointee = Unmanaged.passRetained(context).toOpaque()
        server.inFlight.add(1) // until `requestCompleted`: a drain waits for bodies still arriving
        return server.begin(context, on: connection)
    }
    let context = Unmanaged<RequestContext>.fromOpaque(raw).takeUnretainedValue()
    let size = uploadSize.pointee
    if size > 0 {
        uploadSize.pointee = 0
        guard !context.answered else { return MHD_Result.YES }
        if context.body.count + size > server.configuration.maxBodyBytes {
            // A body of undeclared length (chunked) grew past the limit. libmicrohttpd cannot
            // queue a response in the middle of a body, so the connection is closed at once
            // rather than reading on; a declared length over the limit got its 413 in `begin`.
            context.answered = true
            context.body = []
            return MHD_Result.NO
        }
        uploadData?.withMemoryRebound(to: UInt8.self, capacity: size) {
            context.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: size))
        }
        return MHD_Result.YES
    }
    guard !context.answered else { return MHD_Result.YES }
    context.answered = true
    return server.finish(context, on: connection)
}

/// libmicrohttpd's completion callback: frees the request's context.
let requestCompleted: MHD_RequestCompletedCallback = { cls, _, conCls, _ in
    guard let conCls, let raw = conCls.pointee else { return }
    Unmanaged<RequestContext>.fromOpaque(raw).release()
    conCls.pointee = nil
    if let cls { Unmanaged<Server>.fromOpaque(cls).takeUnretainedValue().inFlight.add(-1) }
}

/// Copies the request's header fields into `context`.
private func collectHeaders(of connection: OpaquePointer, into context: RequestContext) {
    let target = Unmanaged.passUnretained(context).toOpaque()
    _ = MHD_get_connection_values(connection, MHD_ValueKind.HEADER_KIND, { cls, _, key, value in
        guard let cls, let key else { return MHD_Result.YES }
        let context = Unmanaged<RequestContext>.fromOpaque(cls).takeUnretainedValue()
        context.addHeader(name: String(cString: key), value: value.map { String(cString: $0) } ?? "")
        return MHD_Result.YES
    }, target)
}

extension Server {
    /// The first call of a request: refuses a declared body over the limit before reading it.
    fileprivate func begin(_ context: RequestContext, on connection: OpaquePointer) -> MHD_Result {
        if let declared = context.headers["content-length"] {
            guard let length = Int(declared.trimmingSpaces()), length >= 0 else {
                context.answered = true
                return send(router.error(400, type: ProblemType.base + "bad-request", title: "Bad request",
                                         detail: "Content-Length is not a number: \(declared)", path: context.path),
                            for: context, on: connection)
            }
            if length > configuration.maxBodyBytes { return reject(context, on: connection) }
            // Reserve what is declared (one buffer, no copies as it grows), up to 32 MiB: the
            // reservation is address space until bytes arrive, and past 32 MiB it grows by doubling.
            context.body.reserveCapacity(min(length, 32 << 20))
        }
        return MHD_Result.YES
    }

    /// Answers 413 at once; the rest of the body is not read.
    fileprivate func reject(_ context: RequestContext, on connection: OpaquePointer) -> MHD_Result {
        context.answered = true
        let limit = configuration.maxBodyBytes
        context.body = []
        let response = router.error(
            413, type: ProblemType.payloadTooLarge, title: "Payload too large",
            detail: "request body is larger than the limit of \(limit) bytes (raise it with --max-body-bytes)", path: context.path)
        return send(response, for: context, on: connection)
    }

    /// The body is complete: routes the request and sends the handler's response.
    fileprivate func finish(_ context: RequestContext, on connection: OpaquePointer) -> MHD_Result {
        let request = context.request
        context.body = []
        return send(router.respond(to: request), for: context, on: connection, request: request)
    }

    /// Hands `response` to libmicrohttpd (with the request's id) and reports it to the observer.
    private func send(_ response: Response, for context: RequestContext, on connection: OpaquePointer,
                      request: Request? = nil) -> MHD_Result {
        var response = response
        response.headers.append(("X-Request-ID", context.id))
        let result = queue(response, on: connection)
        if let observer {
            observer(request ?? context.request, response, monotonicSeconds() - context.started)
        }
        return result
    }
}

/// Queues `response` on `connection`. A large body is handed to libmicrohttpd as it is (no
/// copy): the array is kept alive by a retained box until libmicrohttpd frees the response;
/// a small one is copied.
private func queue(_ response: Response, on connection: OpaquePointer) -> MHD_Result {
    let handle: OpaquePointer?
    if response.body.count >= 64 * 1024 {
        let box = Unmanaged.passRetained(BodyStorage(response.body))
        // The array is immutable inside the box, so its storage stays where it is until the
        // box is released by `releaseBody`.
        let base = box.takeUnretainedValue().bytes.withUnsafeBytes { UnsafeMutableRawPointer(mutating: $0.baseAddress!) }
        handle = MHD_create_response_from_buffer_with_free_callback_cls(response.body.count, base, releaseBody, box.toOpaque())
        if handle == nil { box.release() }
    } else {
        handle = response.body.withUnsafeBytes { bytes in
            MHD_create_response_from_buffer(bytes.count, UnsafeMutableRawPointer(mutating: bytes.baseAddress),
                                            MHD_ResponseMemoryMode.RESPMEM_MUST_COPY)
        }
    }
    guard let handle else { return MHD_Result.NO }
    defer { MHD_destroy_response(handle) }
    for (name, value) in response.headers {
        _ = MHD_add_response_header(handle, name, value)
    }
    return MHD_queue_response(connection, UInt32(response.status), handle)
}

/// A response body that libmicrohttpd sends without copying.
private final class BodyStorage {
    let bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }
}

/// libmicrohttpd's free callback of a body handed over by `queue`: releases its box.
private let releaseBody: MHD_ContentReaderFreeCallback = { cls in
    if let cls { Unmanaged<BodyStorage>.fromOpaque(cls).release() }
}
