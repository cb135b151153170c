import CMicroHTTPD
import Glibc

extension Server {
    /// The head is complete (first call of the access handler): checks it, and answers at once
    /// what can be answered before the body (400, 413, 414, 415, 431, 501, 503); otherwise
    /// starts reading the body.
    func head(_ context: RequestContext, _ connection: OpaquePointer, url: UnsafePointer<CChar>?,
              method: UnsafePointer<CChar>?, version: UnsafePointer<CChar>?) -> MHD_Result {
        headsInProgress.ended(connection)
        context.received = MonotonicClock.now()
        context.bodyDone = context.received
        context.method = HTTPMethod(rawValue: method.map { String(cString: $0) } ?? "")
        if let method {
            // The head as received starts at the method (see `cmhd_request_header_size`).
            let start = Int(bitPattern: method)
            let size = cmhd_request_header_size(connection)
            if size > 0 { context.headBytesRange = start..<(start + size) }
        }
        collectHeaders(of: connection, into: context)
        connections.headReceived(connection, bodyDeadline: context.received + configuration.bodyTimeout)
        context.phase = .reading

        // Digits only, one field (checked below); past `Int.max` is as good as `Int.max`.
        let declared = context.contentLengths.count == 1 ? Self.byteCount(context.contentLengths[0]) : nil
        context.declaredLength = declared
        let hasBody = (declared ?? 0) > 0 || context.headers["transfer-encoding"] != nil
        let http10 = version.map { String(cString: $0) } == "HTTP/1.0"
        if let problem = framingRefusal(context, http10: http10) {
            return refuseAndClose(render(problem, context), context, connection)
        }
        if let problem = refusal(context, url: url, version: version) {
            let refusal = render(problem, context)
            // A body whose framing is unknown cannot be read past: the connection closes.
            if problem.status == 501 { return answerNow(refusal, context, connection) }
            return refuseBeforeBody(refusal, hasBody: hasBody, context, connection)
        }

        switch router.match(context.method, path: context.target.path) {
        case .notFound:
            return refuseAfterBody(render(router.notFound(context.target.path), context), hasBody: hasBody, context, connection)
        case .methodNotAllowed(let allowed):
            let problem = router.methodNotAllowed(context.method, context.target.path, allowed)
            return refuseAfterBody(render(problem, context), hasBody: hasBody, context, connection)
        case .route(let route):
            context.route = route
        }
        if let declared, declared > configuration.maxBodyBytes {
            let problem = ProblemDetails.bodyTooLarge(words, limit: configuration.maxBodyBytes, decoded: false)
            return refuseBeforeBody(render(problem, context), hasBody: hasBody, context, connection)
        }
        if let declared, declared > configuration.maxWireBytes {
            return refuseBeforeBody(render(ProblemDetails.wireTooLarge(words, limit: configuration.maxWireBytes), context),
                                    hasBody: hasBody, context, connection)
        }
        // The reservation follows the bytes that arrive (a body trickling in holds nothing it
        // has not sent); a body that could never fit the whole budget is refused now.
        if let declared, reservation(for: declared) > budget.limit || !context.memory.reserve(reservation(for: min(declared, Self.headReservationBytes))) {
            context.shed = .memory
            let problem = ProblemDetails.overBudget(words, retryAfter: configuration.retryAfterSeconds)
            return refuseBeforeBody(render(problem, context), hasBody: hasBody, context, connection)
        }
        if context.route?.kind == .compute, let pool, !pool.hasRoom {
            context.shed = .queue
            let problem = ProblemDetails.queueFull(words, retryAfter: configuration.retryAfterSeconds)
            return refuseBeforeBody(render(problem, context), hasBody: hasBody, context, connection)
        }
        if let declared, context.inflater == nil {
            // One buffer for the declared body, no copies as it grows; up to 32 MiB the
            // reservation is address space until bytes arrive, past it the buffer doubles.
            context.body.reserveCapacity(min(declared, 32 << 20))
        }
        return .YES
    }

    /// Body bytes reserved when the head arrives (the rest as they arrive), so that a full
    /// budget refuses even small requests before their body.
    static let headReservationBytes = 64 << 10

    /// A problem the server answers itself, in the format the request's path wants (its
    /// prefix's error writer, else problem+json).
    func render(_ problem: ProblemDetails, _ context: RequestContext) -> Response {
        router.errorResponse(problem, path: context.target.path)
    }

    /// The bytes reserved for a body of `length` bytes.
    func reservation(for length: Int) -> Int {
        let bytes = Double(length) * configuration.reservationFactor
        return bytes >= Double(Int.max / 2) ? Int.max / 2 : Int(bytes)
    }

    /// What is wrong with the head itself, as an answer, or nil.
    private func refusal(_ context: RequestContext, url: UnsafePointer<CChar>?, version: UnsafePointer<CChar>?) -> ProblemDetails? {
        if let url, let version {
            // The request line is "METHOD TARGET VERSION": the version starts one byte after the
            // target's end, so a raw NUL inside the target shows as a shorter C string.
            let span = Int(bitPattern: version) - Int(bitPattern: url) - 1
            if span > context.targetLength && span <= configuration.headBufferBytes {
                return ProblemDetails.badRequest(words, "the request target contains a NUL byte")
            }
        }
        if let problem = context.target.problem { return ProblemDetails.badRequest(words, problem) }
        if context.targetLength > configuration.maxTargetBytes {
            return ProblemDetails(words, status: 414, slug: ProblemType.headTooLarge, title: "URI too long",
                                  detail: "the request target has \(context.targetLength) bytes; the limit is \(configuration.maxTargetBytes)")
        }
        if context.headBytes > configuration.maxHeadBytes {
            return ProblemDetails(words, status: 431, slug: ProblemType.headTooLarge, title: "Request header fields too large",
                                  detail: "the header fields have \(context.headBytes) bytes; the limit is \(configuration.maxHeadBytes)")
        }
        let http11 = version.map { String(cString: $0) } == "HTTP/1.1"
        if context.hostFields > 1 { return ProblemDetails.badRequest(words, "more than one Host header field") }
        if http11 && context.hostFields == 0 { return ProblemDetails.badRequest(words, "an HTTP/1.1 request must have a Host header field") }
        if let host = context.headers["host"], host.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "/") }) {
            return ProblemDetails.badRequest(words, "the Host header field is not a valid host")
        }
        if let transfer = context.headers["transfer-encoding"], transfer.trimmingSpaces().lowercased() != "chunked" {
            return ProblemDetails(words, status: 501, slug: ProblemType.notImplemented, title: "Not implemented",
                                  detail: "Transfer-Encoding \(ProblemDetails.echo(transfer)) is not supported; only chunked is")
        }
        guard let coding = ContentCoding(header: context.headers["content-encoding"]) else {
            let named = context.headers["content-encoding"] ?? ""
            return ProblemDetails(words, status: 415, slug: ProblemType.unsupportedEncoding, title: "Unsupported content encoding",
                                  detail: "Content-Encoding \(ProblemDetails.echo(named)) is not supported; use gzip, deflate or none",
                                  headers: [("Accept-Encoding", ContentCoding.accepted)])
        }
        if coding != .identity { context.inflater = Inflater(coding: coding) }
        return nil
    }

    /// What makes the body's length unknowable or ambiguous (RFC 9112 §5.1, §5.2, §6.1, §6.3),
    /// as a 400, or nil. A server reading such a head one way and a proxy in front of it the other
    /// would take the rest of one request for another (request smuggling).
    private func framingRefusal(_ context: RequestContext, http10: Bool) -> ProblemDetails? {
        if context.foldedField != nil {
            return ProblemDetails.badRequest(words, "a header field line is continued on the next line (obsolete line folding is not accepted)")
        }
        if let name = context.badFieldName {
            return ProblemDetails.badRequest(words, "the header field name \(ProblemDetails.echo(name)) is not a token (no whitespace is allowed between a field name and its colon)")
        }
        if let name = context.fieldWithCR {
            // RFC 9110 §5.5: reject, or replace with SP; a proxy may have taken it for a line end.
            return ProblemDetails.badRequest(words, "the value of header field \(ProblemDetails.echo(name)) contains a bare CR")
        }
        if context.contentLengths.count > 1 {
            // RFC 9110 §8.6 lets a recipient take identical values; like nginx, take none.
            return ProblemDetails.badRequest(words, "more than one Content-Length header field")
        }
        if let value = context.contentLengths.first, Self.byteCount(value) == nil {
            return ProblemDetails.badRequest(words, "Content-Length \(ProblemDetails.echo(value)) is not a byte count (one number, digits only)")
        }
        guard let transfer = context.headers["transfer-encoding"] else { return nil }
        if !context.contentLengths.isEmpty {
            return ProblemDetails.badRequest(words, "a request must not have both Content-Length and Transfer-Encoding")
        }
        if http10 {
            return ProblemDetails.badRequest(words, "an HTTP/1.0 request must not have Transfer-Encoding")
        }
        let codings = transfer.split(separator: ",").map { String($0).trimmingSpaces().lowercased() }.filter { !$0.isEmpty }
        if codings.last != "chunked" {
            // The contract's 501 for a coding other than chunked; the body's length is then
            // unknown (RFC 9112 §6.3), so the connection closes after it.
            return ProblemDetails(words, status: 501, slug: ProblemType.notImplemented, title: "Not implemented",
                                  detail: "Transfer-Encoding \(ProblemDetails.echo(transfer)) is not supported; only chunked is (the body's length is unknown: the connection closes)")
        }
        return nil
    }

    /// The byte count in a `Content-Length` value: digits only, around them the optional
    /// whitespace of any field value; `Int.max` when larger. Nil when not a byte count.
    static func byteCount(_ value: String) -> Int? {
        let bytes = Array(value.utf8)
        let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        let isWhitespace = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let first = bytes.firstIndex(where: { !isWhitespace($0) }), let last = bytes.lastIndex(where: { !isWhitespace($0) }),
              bytes[first...last].allSatisfy(isDigit) else { return nil }
        var count = 0
        for digit in bytes[first...last] {
            let (times10, over1) = count.multipliedReportingOverflow(by: 10)
            let (sum, over2) = times10.addingReportingOverflow(Int(digit - UInt8(ascii: "0")))
            if over1 || over2 { return Int.max }
            count = sum
        }
        return count
    }

    /// Refuses a head whose framing cannot be trusted: the answer says `Connection: close` and
    /// the connection closes after it, so that no byte after the head is read as a request. A
    /// client waiting for `100 Continue` gets it through libmicrohttpd, which then closes (it
    /// reads no body once it has an answer); any other gets it written at once, and what
    /// libmicrohttpd takes for the body is dropped until the close (``answerEarly(_:_:_:)``).
    private func refuseAndClose(_ answer: Response, _ context: RequestContext, _ connection: OpaquePointer) -> MHD_Result {
        guard context.headers["expect"]?.lowercased() == "100-continue" else { return answerEarly(answer, context, connection) }
        var closing = answer
        closing.headers.append(("Connection", "close"))
        return answerNow(closing, context, connection)
    }

    /// A refusal decided from the head (413, 503, 400, 415, …), sent before the body is read.
    /// A client that waits for `100 Continue` gets it as libmicrohttpd's answer and sends no
    /// body; any other gets it written at once while the body it is sending is read and dropped
    /// (so that it can finish sending and read the answer, instead of being reset).
    private func refuseBeforeBody(_ answer: Response, hasBody: Bool, _ context: RequestContext,
                                  _ connection: OpaquePointer) -> MHD_Result {
        let waitsForContinue = context.headers["expect"]?.lowercased() == "100-continue"
        guard hasBody && !waitsForContinue else { return answerNow(answer, context, connection) }
        return answerEarly(answer, context, connection)
    }

    /// A 404 or 405: read and drop the body, then answer (so the connection can be kept).
    private func refuseAfterBody(_ answer: Response, hasBody: Bool, _ context: RequestContext,
                                 _ connection: OpaquePointer) -> MHD_Result {
        guard hasBody else { return answerNow(answer, context, connection) }
        // A body declared past the limit would not be read to its end anyway: answer now.
        if let declared = context.declaredLength, declared > configuration.maxBodyBytes {
            return refuseBeforeBody(answer, hasBody: true, context, connection)
        }
        context.discardDeadline = MonotonicClock.now() + Double(configuration.connectionTimeout)
        context.phase = .discarding(answer: answer)
        return .YES
    }

    /// Copies the request's header fields into `context`, with their request id and preferred
    /// answer coding.
    ///
    /// A field continued on the next line (obsolete line folding) is found by where its name is:
    /// libmicrohttpd 0.9.75 appends the continuation to the field's *name* (`Transfer-Encoding:`
    /// then ` chunked` becomes a field `Transfer-Encodingchunked` with an empty value), which it
    /// reallocates outside the head's bytes, where every other field's name stays.
    func collectHeaders(of connection: OpaquePointer, into context: RequestContext) {
        let target = Unmanaged.passUnretained(context).toOpaque()
        _ = MHD_get_connection_values_n(connection, MHD_ValueKind.HEADER_KIND, { cls, _, key, keySize, value, valueSize in
            guard let cls, let key else { return MHD_Result.YES }
            let context = Unmanaged<RequestContext>.fromOpaque(cls).takeUnretainedValue()
            let name = String(decoding: UnsafeRawBufferPointer(start: key, count: keySize), as: UTF8.self)
            if let head = context.headBytesRange, !head.contains(Int(bitPattern: key)), context.foldedField == nil {
                context.foldedField = name
            }
            let text = value.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: valueSize), as: UTF8.self) } ?? ""
            context.addHeader(name: name, value: text)
            return MHD_Result.YES
        }, target)
        context.id = RequestID.make(from: context.headers["x-request-id"])
        context.answerCoding = configuration.gzipResponses ? AcceptEncoding.preferred(context.headers["accept-encoding"]) : nil
    }
}
