import CTCPInfo
import CMicroHTTPD
import Glibc

extension Server {
    /// `response` made ready to send: gzip- or deflate-compressed when the client takes it and it is large
    /// enough (`Vary: Accept-Encoding` whenever it could be), `Server-Timing` with `recv`,
    /// `extra`, the handler's stages, `gzip` and `total`, and `X-Request-ID`. Runs on whichever
    /// thread made the response.
    func finalize(_ response: Response, _ plan: AnswerPlan, extra: [StageTiming]) -> Response {
        var r = response
        var timings = [StageTiming("recv", seconds: plan.bodyDone - plan.received)] + extra + r.timings
        let compressible = configuration.gzipResponses && r.header("content-encoding") == nil
            && r.status >= 200 && r.status != 204 && r.status != 304
            && (r.bodyLength ?? Int.max) >= configuration.gzipMinimumBytes
        if compressible {
            r.headers.append(("Vary", "Accept-Encoding"))
            if let coding = plan.answerCoding {
                let started = MonotonicClock.now()
                if let producer = r.producer {
                    r.producer = GzipBody(producer, coding)
                    r.headers.append(("Content-Encoding", coding.name))
                } else if let compressed = Gzip.compress(r.body, as: coding) {
                    r.body = compressed
                    r.headers.append(("Content-Encoding", coding.name))
                }
                timings.append(StageTiming(coding.name, seconds: MonotonicClock.now() - started))
            }
        }
        timings.append(StageTiming("total", seconds: MonotonicClock.now() - plan.received))
        r.timings = timings
        r.headers.append(("Server-Timing", StageTiming.headerValue(timings)))
        r.headers.append(("X-Request-ID", plan.requestID))
        return r
    }

    /// Finishes and queues an answer decided on the connection's thread (before or instead of
    /// the handler).
    func answerNow(_ response: Response, _ context: RequestContext, _ connection: OpaquePointer) -> MHD_Result {
        connections.answering(connection)
        return queue(finalize(response, plan(for: context), extra: []), context, connection)
    }

    /// Hands a finished answer to libmicrohttpd (without copying its body), counts it against
    /// the memory budget until it is sent, and reports it.
    func queue(_ response: Response, _ context: RequestContext, _ connection: OpaquePointer) -> MHD_Result {
        context.phase = .answered
        context.body = []
        guard let handle = MHDResponse.make(response) else { return .NO }
        defer { MHD_destroy_response(handle) }
        for (name, value) in response.headers { _ = MHD_add_response_header(handle, name, value) }
        if draining.load(ordering: .relaxed) { _ = MHD_add_response_header(handle, "Connection", "close") }
        context.memory.set(to: response.retainedBytes)
        if configuration.sendTimeout != configuration.connectionTimeout && !context.sendTimeoutSet {
            cmhd_set_timeout(connection, answeringTimeout)
            context.sendTimeoutSet = true
        }
        context.ackedBeforeAnswer = tcp_info_bytes_acked(cmhd_connection_fd(connection))
        let result = MHD_queue_response(connection, UInt32(response.status), handle)
        // Reported when libmicrohttpd is done with it, with what the client really received.
        context.report = context.exchange(response, now: MonotonicClock.now())
        return result
    }

    /// The connection timeout while an answer is computed and sent: the send timeout, made to
    /// differ from the idle timeout when they are equal (so that libmicrohttpd keeps the
    /// connection in its list of connections with their own timeout; see
    /// ``compute(_:_:_:)``), and ten years for "none".
    var answeringTimeout: UInt32 {
        let seconds = configuration.sendTimeout == 0 ? 315_360_000 : configuration.sendTimeout
        return UInt32(seconds == configuration.connectionTimeout ? seconds + 1 : seconds)
    }

    /// Answers in the middle of a body, which libmicrohttpd 0.9.75 cannot do
    /// (`MHD_queue_response` refuses while a body is arriving): the answer is written straight
    /// to the socket with `Connection: close`, the write side is shut, and the rest of the body
    /// is read and dropped (up to ``discardAfterEarlyAnswer`` bytes or the connection timeout)
    /// so that closing does not reset the connection before the client reads the answer.
    func answerEarly(_ response: Response, _ context: RequestContext, _ connection: OpaquePointer) -> MHD_Result {
        context.body = []
        context.inflater = nil
        context.memory.release()
        let finished = finalize(response, plan(for: context), extra: [])
        let fd = cmhd_connection_fd(connection)
        let bytes = RawAnswer.bytes(finished, requestID: nil)
        let sent = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
        observer?(context.exchange(finished, now: MonotonicClock.now()))
        guard sent == bytes.count else { return .NO }
        shutdown(fd, Int32(SHUT_WR))
        context.phase = .answeredEarly
        context.discardDeadline = MonotonicClock.now() + Double(configuration.connectionTimeout)
        return .YES
    }
}

/// An answer as bytes on the wire, for the few written to the socket directly (in the middle of
/// a body, or to a connection whose head timed out).
enum RawAnswer {
    /// The status line, the header fields, `Content-Length`, `Connection: close` and the body.
    static func bytes(_ response: Response, requestID: String?) -> [UInt8] {
        var head = "HTTP/1.1 \(response.status) \(reason(response.status))\r\n"
        for (name, value) in response.headers { head += "\(name): \(value)\r\n" }
        if let requestID { head += "X-Request-ID: \(requestID)\r\n" }
        head += "Content-Length: \(response.body.count)\r\nConnection: close\r\n\r\n"
        return Array(head.utf8) + response.body
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 400: return "Bad Request"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 408: return "Request Timeout"
        case 413: return "Content Too Large"
        case 415: return "Unsupported Media Type"
        case 503: return "Service Unavailable"
        default: return "Error"
        }
    }
}
