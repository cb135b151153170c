import CMicroHTTPD
import Glibc
import Synchronization

// Heads libmicrohttpd refuses itself.
//
// libmicrohttpd 0.9.75 parses the first `Content-Length` field itself once the head is in
// (`parse_connection_headers`), before the access handler's first call, and no option turns
// that off. When the value is not a number it can read (`-5`, `+5`, `5, 5`, `5 ` with a trailing
// space) or overflows 64 bits, it queues its own HTML 400 or 413 and builds its status line and
// header fields into the write buffer; the state machine then overwrites the state that says so
// (HEADERS_SENDING becomes HEADERS_PROCESSED), skips the access handler (a response is queued),
// and builds the head a second time at START_REPLY. The client reads a status line whose body
// is a second head, then bytes that are no answer at all.
//
// Between the head and that error nothing of the server's is called but libmicrohttpd's log,
// which it writes first ("Failed to parse `Content-Length' header…", "Too large value of
// 'Content-Length' header…"), on the connection's own I/O thread, without saying which
// connection. The server keeps the requests whose request line it has seen and whose head has
// not reached the access handler, with the I/O thread reading each (a connection is read by
// one thread only). When that message comes, the request is the one on the calling thread
// whose head is complete (libmicrohttpd gives a head's size once its empty line is in, and
// resets it for the next request): the others on the thread are still waiting for the rest of
// their heads. The server writes its own answer (400, or 413 for a length past 64 bits) with
// `Connection: close` and shuts the socket for writing, so that libmicrohttpd's own answer
// fails to go out (`EPIPE`) and it closes the connection. Should the request not be found
// (none or more than one such head), libmicrohttpd's answer goes out as it is: still a close,
// after a 400 or 413 status line. libmicrohttpd does not say the method before the access
// handler, so the exchange reported for such a request has none.

extension Server {
    /// The start of each libmicrohttpd log message that comes just before it answers a
    /// `Content-Length` it cannot read, and whether the answer is 413 (else 400).
    static let libraryLengthRefusals: [(prefix: String, tooLarge: Bool)] = [
        ("Failed to parse `Content-Length' header.", false),
        ("Too large value of 'Content-Length' header.", true),
    ]

    /// A message libmicrohttpd logs: answers the request it is about to refuse itself when that
    /// is one of ``libraryLengthRefusals``, then hands the message on.
    func libraryMessage(_ text: String) {
        if let refusal = Self.libraryLengthRefusals.first(where: { text.hasPrefix($0.prefix) }) {
            answerLibraryRefusal(tooLarge: refusal.tooLarge)
        }
        messageHandler?(text)
    }

    /// Answers the request whose head libmicrohttpd is refusing (see the top of this file) with
    /// 400 or 413, and closes its connection for writing.
    private func answerLibraryRefusal(tooLarge: Bool) {
        let complete = headsInProgress.onThisThread().filter { cmhd_request_header_size($0.connection) > 0 }
        guard complete.count == 1, let (connection, raw) = complete.first else { return }
        let context = Unmanaged<RequestContext>.fromOpaque(raw).takeUnretainedValue()
        guard case .head = context.phase else { return }
        headsInProgress.ended(connection)
        context.received = MonotonicClock.now()
        context.bodyDone = context.received
        collectHeaders(of: connection, into: context)
        let value = context.contentLengths.first ?? ""
        let problem = tooLarge
            ? ProblemDetails(words, status: 413, slug: ProblemType.payloadTooLarge, title: "Payload too large",
                             detail: "Content-Length \(ProblemDetails.echo(value)) is larger than any body this server reads (the limit is \(configuration.maxBodyBytes) bytes, \(words.maxBodyBytes))")
            : ProblemDetails.badRequest(words, "Content-Length \(ProblemDetails.echo(value)) is not a byte count (one number, digits only)")
        let finished = finalize(render(problem, context), plan(for: context), extra: [])
        let bytes = RawAnswer.bytes(finished, requestID: nil)
        let fd = cmhd_connection_fd(connection)
        guard fd >= 0 else { return }
        let sent = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
        // Not all of it written: libmicrohttpd's own answer is better than half of this one.
        guard sent == bytes.count else { return }
        shutdown(fd, Int32(SHUT_WR))
        connections.headReceived(connection, bodyDeadline: .infinity)
        connections.answering(connection)
        context.phase = .answeredEarly
        observer?(context.exchange(finished, now: MonotonicClock.now()))
    }
}

/// The requests whose request line has come and whose head has not reached the access handler,
/// by connection, with the I/O thread that reads them (see Server+LibraryRefusal.swift).
final class HeadsInProgress: Sendable {
    private struct Entry {
        let thread: pthread_t
        /// The request's `RequestContext`, unretained (libmicrohttpd holds it until the request
        /// completes, which ends the entry first).
        let context: Int
    }
    private let entries = Locked<[Int: Entry]>([:])

    /// A request line came on `connection`, read by the calling thread.
    func started(_ connection: OpaquePointer, context: UnsafeMutableRawPointer) {
        let entry = Entry(thread: pthread_self(), context: Int(bitPattern: context))
        entries.withLock { $0[Int(bitPattern: connection)] = entry }
    }

    /// The request on `connection` reached the access handler.
    func ended(_ connection: OpaquePointer) {
        _ = entries.withLock { $0.removeValue(forKey: Int(bitPattern: connection)) }
    }

    /// The request with `context` on `connection` completed (or its connection closed).
    func ended(_ connection: OpaquePointer, context: UnsafeMutableRawPointer) {
        entries.withLock { table in
            let key = Int(bitPattern: connection)
            if table[key]?.context == Int(bitPattern: context) { table.removeValue(forKey: key) }
        }
    }

    /// The connections and contexts of the heads in progress on the calling thread.
    func onThisThread() -> [(connection: OpaquePointer, context: UnsafeMutableRawPointer)] {
        let thread = pthread_self()
        let found = entries.withLock { table in
            table.filter { pthread_equal($0.value.thread, thread) != 0 }.map { ($0.key, $0.value.context) }
        }
        return found.compactMap { connection, context in
            guard let c = OpaquePointer(bitPattern: connection), let r = UnsafeMutableRawPointer(bitPattern: context) else { return nil }
            return (c, r)
        }
    }
}
