/// The problems the server answers itself, in one place so that their wording stays consistent.
extension ProblemDetails {
    /// 503 for a request that would pass the memory budget, naming `flag` and sent with
    /// `Retry-After`.
    public static func overBudget(flag: String = "--max-inflight-bytes", retryAfter: Int = 1) -> ProblemDetails {
        ProblemDetails(status: 503, type: ProblemType.unavailable, title: "Service unavailable",
                       detail: "the requests in flight hold the server's memory budget; retry later (the budget is set by \(flag))",
                       headers: [("Retry-After", String(retryAfter))])
    }

    /// 503 for a compute request when the queue of waiting requests is full.
    static func queueFull(retryAfter: Int) -> ProblemDetails {
        ProblemDetails(status: 503, type: ProblemType.unavailable, title: "Service unavailable",
                       detail: "every compute thread is busy and the queue is full; retry later (the queue's length is set by --max-queued-requests)",
                       headers: [("Retry-After", String(retryAfter))])
    }

    /// 503 for a request whose computation was stopped at the end of the drain.
    public static func stopped(retryAfter: Int) -> ProblemDetails {
        ProblemDetails(status: 503, type: ProblemType.unavailable, title: "Service unavailable",
                       detail: "the server is shutting down and stopped this computation at the end of --drain-timeout; retry (another replica will answer)",
                       headers: [("Retry-After", String(retryAfter))])
    }

    /// 413 for a body past the limit.
    static func bodyTooLarge(limit: Int, decoded: Bool) -> ProblemDetails {
        ProblemDetails(status: 413, type: ProblemType.payloadTooLarge, title: "Payload too large",
                       detail: "request body\(decoded ? " (decoded)" : "") is larger than the limit of \(limit) bytes (raise it with --max-body-bytes)")
    }

    /// 400 for malformed HTTP.
    static func badRequest(_ detail: String) -> ProblemDetails {
        ProblemDetails(status: 400, type: ProblemType.badRequest, title: "Bad request", detail: detail)
    }
}
