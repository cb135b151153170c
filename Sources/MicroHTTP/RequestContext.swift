/// What the server keeps for one request while libmicrohttpd feeds it (from the request line
/// to the completion callback). Only the connection's I/O thread touches it; the compute pool
/// gets the ``Request`` and a ``PendingAnswer`` instead.
final class RequestContext {
    /// Where the request is.
    enum Phase {
        /// The request line is in; the head's first call is to come.
        case head
        /// The body is being read (and decoded).
        case reading
        /// The rest of the body is read and dropped; then `answer` is sent.
        case discarding(answer: Response)
        /// An answer was written straight to the socket in the middle of the body; the rest of
        /// the body is dropped up to a bound, then the connection is closed.
        case answeredEarly
        /// Waiting for the compute pool's answer.
        case computing(PendingAnswer)
        /// The answer is queued.
        case answered
    }

    let target: RequestTarget
    /// The target's length as the request line gave it (less than its C string's when a raw NUL
    /// cut it short).
    let targetLength: Int
    var method = HTTPMethod(rawValue: "")
    var headers: [String: String] = [:]
    /// How many `Host` fields came (RFC 9112 §3.2: exactly one).
    var hostFields = 0
    /// Bytes of header names and values.
    var headBytes = 0
    /// Each `Content-Length` field's value, in order (RFC 9112 §6.3: one, of digits only).
    var contentLengths: [String] = []
    /// The first field name that is not a token (whitespace before the colon, RFC 9112 §5.1).
    var badFieldName: String?
    /// The first field continued on the next line (obsolete line folding, RFC 9112 §5.2).
    var foldedField: String?
    /// The first field whose value holds a CR (one not followed by LF, which would have ended
    /// the line: RFC 9112 §2.2).
    var fieldWithCR: String?
    /// The addresses of the head's bytes in libmicrohttpd's buffer (from the method to the empty
    /// line), when known.
    var headBytesRange: Range<Int>?
    var id = ""
    var route: Route?
    var phase = Phase.head
    var body: [UInt8] = []
    /// Body bytes received as sent (before decoding).
    var bytesIn = 0
    var declaredLength: Int?
    var inflater: Inflater?
    var answerCoding: ContentCoding?
    /// Monotonic seconds when the head was complete and when the body was.
    var received = 0.0
    var bodyDone = 0.0
    let cancellation = CancellationSignal()
    let memory: MemoryReservation
    /// Bytes dropped after an early answer or a refusal, and until when dropping goes on.
    var discarded = 0
    var discardDeadline = 0.0
    /// Whether the connection's timeout was changed to the send timeout for this answer.
    var sendTimeoutSet = false
    var shed: ShedReason?
    /// The exchange of an answer handed to libmicrohttpd, reported once it is sent (or not).
    var report: Exchange?
    /// What the client had acknowledged on the connection when the answer was queued.
    var ackedBeforeAnswer: Int64 = -1

    init(target: RequestTarget, targetLength: Int, budget: MemoryBudget) {
        self.target = target
        self.targetLength = targetLength
        memory = MemoryReservation(budget: budget)
    }

    /// Records a header field; repeats are joined with ", " (RFC 9110 §5.3).
    func addHeader(name: String, value: String) {
        let key = name.lowercased()
        if key == "host" { hostFields += 1 }
        if key == "content-length" { contentLengths.append(value) }
        if badFieldName == nil && !Self.isToken(name) { badFieldName = name }
        if fieldWithCR == nil && value.utf8.contains(13) { fieldWithCR = name }
        headBytes += name.utf8.count + value.utf8.count + 4
        if let old = headers[key] { headers[key] = old + ", " + value } else { headers[key] = value }
    }

    /// Whether `name` is a token (RFC 9110 §5.6.2), as a field name must be.
    static func isToken(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return true
            default:
                return tokenSymbols.contains(byte)
            }
        }
    }

    private static let tokenSymbols = Set("!#$%&'*+-.^_`|~".utf8)

    /// The request for the handler; the body moves into it.
    func takeRequest(_ vocabulary: ServerVocabulary) -> Request {
        var request = Request(method: method, path: target.path, query: target.query, headers: headers, body: body,
                              id: id, cancellation: cancellation, memory: memory)
        request.vocabulary = vocabulary
        body = []
        return request
    }

    /// The exchange to report for an answer with `response`.
    func exchange(_ response: Response, now: Double) -> Exchange {
        Exchange(method: method, path: target.path, query: target.query, route: route?.path, requestID: id,
                 status: response.status, bytesIn: bytesIn, bytesOut: response.bodyLength,
                 seconds: now - received, timings: response.timings, shed: shed)
    }
}
