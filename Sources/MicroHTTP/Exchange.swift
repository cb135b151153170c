/// One answered request, as the server reports it to its observer (for logs and metrics).
public struct Exchange: Sendable {
    /// The request method.
    public var method: HTTPMethod
    /// The path as sent.
    public var path: String
    /// The query as sent.
    public var query: String
    /// The route's path when a route matched, nil otherwise (a bounded label for metrics).
    public var route: String?
    /// The request id sent back in `X-Request-ID`.
    public var requestID: String
    /// The status answered.
    public var status: Int
    /// Body bytes received (as sent, before decoding).
    public var bytesIn: Int
    /// Body bytes of the answer (as sent, after compression; nil when written in pieces of
    /// unknown length). For an answer the client did not receive in full (``complete`` false):
    /// the bytes of the answer, head included, that the client acknowledged.
    public var bytesOut: Int?
    /// Whether the client received the whole answer (false: it went away, or was too slow).
    public var complete = true
    /// Seconds from the complete head to the answer being handed to libmicrohttpd.
    public var seconds: Double
    /// The stages: `recv`, `queue`, the handler's, `gzip`, `total`.
    public var timings: [StageTiming]
    /// Why the request was refused for lack of room, when it was.
    public var shed: ShedReason?
}

/// Why a request was refused for lack of room (each a 503 with `Retry-After`).
public enum ShedReason: String, Sendable {
    /// The memory budget (`--max-inflight-bytes`) had no room.
    case memory
    /// The compute queue (`--max-queued-requests`) was full.
    case queue
    /// The server was shutting down and stopped the computation.
    case draining
}
