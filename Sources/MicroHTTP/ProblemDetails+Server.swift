/// The problems the server answers itself, in one place so that their wording stays consistent;
/// the application's ``ServerVocabulary`` gives the type URIs and the names of the limits.
extension ProblemDetails {
    /// A problem of one of this layer's types (``ProblemType``).
    init(_ words: ServerVocabulary, status: Int, slug: String, title: String, detail: String,
         headers: [(name: String, value: String)] = []) {
        self.init(status: status, type: words.problemType(slug), title: title, detail: detail, headers: headers)
    }

    /// 503 for a request that would pass the memory budget, naming its setting and sent with
    /// `Retry-After`.
    public static func overBudget(_ words: ServerVocabulary, retryAfter: Int = 1) -> ProblemDetails {
        ProblemDetails(words, status: 503, slug: ProblemType.unavailable, title: "Service unavailable",
                       detail: "the requests in flight hold the server's memory budget; retry later (the budget is set by \(words.maxInflightBytes))",
                       headers: [("Retry-After", String(retryAfter))])
    }

    /// 503 for a compute request when the queue of waiting requests is full.
    static func queueFull(_ words: ServerVocabulary, retryAfter: Int) -> ProblemDetails {
        ProblemDetails(words, status: 503, slug: ProblemType.unavailable, title: "Service unavailable",
                       detail: "every compute thread is busy and the queue is full; retry later (the queue's length is set by \(words.maxQueuedRequests))",
                       headers: [("Retry-After", String(retryAfter))])
    }

    /// 503 for a compute request that waited in the queue past its deadline (never started).
    static func queueTimedOut(_ words: ServerVocabulary, seconds: Double, retryAfter: Int) -> ProblemDetails {
        ProblemDetails(words, status: 503, slug: ProblemType.unavailable, title: "Service unavailable",
                       detail: "every compute thread stayed busy and the request waited \(seconds) s in the queue without starting; retry later (the wait is set by \(words.queueTimeout))",
                       headers: [("Retry-After", String(retryAfter))])
    }

    /// 503 for a request whose computation was stopped at the end of the drain.
    public static func stopped(_ words: ServerVocabulary, retryAfter: Int = 1) -> ProblemDetails {
        ProblemDetails(words, status: 503, slug: ProblemType.unavailable, title: "Service unavailable",
                       detail: "the server is shutting down and stopped this computation at the end of \(words.drainTimeout); retry (another replica will answer)",
                       headers: [("Retry-After", String(retryAfter))])
    }

    /// 413 for a body past the limit.
    static func bodyTooLarge(_ words: ServerVocabulary, limit: Int, decoded: Bool) -> ProblemDetails {
        ProblemDetails(words, status: 413, slug: ProblemType.payloadTooLarge, title: "Payload too large",
                       detail: "request body\(decoded ? " (decoded)" : "") is larger than the limit of \(limit) bytes (raise it with \(words.maxBodyBytes))")
    }

    /// 413 for a body past the limit of bytes read off the wire.
    static func wireTooLarge(_ words: ServerVocabulary, limit: Int) -> ProblemDetails {
        ProblemDetails(words, status: 413, slug: ProblemType.payloadTooLarge, title: "Payload too large",
                       detail: "request body is larger than the limit of \(limit) bytes on the wire, before decoding (raise it with \(words.maxWireBytes))")
    }

    /// 413 for a compressed body that decodes to too many times its size.
    static func ratioTooHigh(_ words: ServerVocabulary, ratio: Int) -> ProblemDetails {
        ProblemDetails(words, status: 413, slug: ProblemType.payloadTooLarge, title: "Payload too large",
                       detail: "the compressed request body decodes to more than \(ratio) times its size (raise it with \(words.maxCompressionRatio))")
    }

    /// 408 for a body that did not keep up with the minimum rate.
    static func bodyTooSlow(_ words: ServerVocabulary, seconds: Double, rate: Int) -> ProblemDetails {
        ProblemDetails(words, status: 408, slug: ProblemType.timeout, title: "Request timeout",
                       detail: "the request body did not arrive in time: \(seconds) s after the head plus 1 s per \(rate) bytes received (\(words.bodyTimeout), \(words.minBodyRate))")
    }

    /// 503 for a body still arriving at the end of the drain.
    static func uploadStopped(_ words: ServerVocabulary, retryAfter: Int) -> ProblemDetails {
        ProblemDetails(words, status: 503, slug: ProblemType.unavailable, title: "Service unavailable",
                       detail: "the server is shutting down and the request body was still arriving at the end of \(words.drainTimeout); retry (another replica will answer)",
                       headers: [("Retry-After", String(retryAfter))])
    }

    /// 400 for malformed HTTP.
    static func badRequest(_ words: ServerVocabulary, _ detail: String) -> ProblemDetails {
        ProblemDetails(words, status: 400, slug: ProblemType.badRequest, title: "Bad request", detail: detail)
    }
}
