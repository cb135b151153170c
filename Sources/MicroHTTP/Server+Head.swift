import CMicroHTTPD
import Glibc

extension Server {
    /// The head is complete (first call of the access handler): checks it, and answers at once
    /// what can be answered before the body (400, 413, 414, 415, 431, 501, 503); otherwise
    /// starts reading the body.
    func head(_ context: RequestContext, _ connection: OpaquePointer, url: UnsafePointer<CChar>?,
              method: UnsafePointer<CChar>?, version: UnsafePointer<CChar>?) -> MHD_Result {
        context.received = MonotonicClock.now()
        context.bodyDone = context.received
        context.method = HTTPMethod(rawValue: method.map { String(cString: $0) } ?? "")
        collectHeaders(of: connection, into: context)
        context.id = RequestID.make(from: context.headers["x-request-id"])
        context.answerCoding = configuration.gzipResponses ? AcceptEncoding.preferred(context.headers["accept-encoding"]) : nil
        connections.headReceived(connection, bodyDeadline: context.received + configuration.bodyTimeout)
        context.phase = .reading

        let declared = context.headers["content-length"].flatMap { Int($0.trimmingSpaces()) }
        context.declaredLength = declared
        let hasBody = (declared ?? 0) > 0 || context.headers["transfer-encoding"] != nil
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
        if context.headers["transfer-encoding"] != nil && context.headers["content-length"] != nil {
            return ProblemDetails.badRequest(words, "a request must not have both Content-Length and Transfer-Encoding")
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
        context.discardDeadline = MonotonicClock.now() + Double(configuration.connectionTimeout)
        context.phase = .discarding(answer: answer)
        return .YES
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
}
