/// One complete HTTP request as the server hands it to a handler: the body is fully read (and
/// decoded when it came with `Content-Encoding: gzip` or `deflate`).
public struct Request: Sendable {
    /// The request method.
    public var method: HTTPMethod
    /// The path without the query string, exactly as sent (percent-encoding untouched).
    public var path: String
    /// The query string without the `?`, as sent, or empty.
    public var query: String
    /// Header fields with lower-cased names; a repeated field keeps its values joined by ", ".
    public var headers: [String: String]
    /// The whole request body.
    public var body: [UInt8]
    /// The request's id: its `X-Request-ID` when that is a safe token, else one made up; the
    /// server echoes it in the response.
    public var id: String
    /// Raised when the server no longer wants the answer (at the drain deadline).
    public var cancellation: CancellationSignal
    /// The request's share of the server's memory budget.
    public var memory: MemoryReservation
    /// The application's words for the errors the server answers (``Router/vocabulary``), for a
    /// handler that answers one of them itself (``ProblemDetails/overBudget(_:retryAfter:)``).
    public var vocabulary = ServerVocabulary()

    /// A request; `id` defaults to one made from the `x-request-id` header.
    public init(method: HTTPMethod, path: String, query: String = "", headers: [String: String] = [:], body: [UInt8] = [],
                id: String? = nil, cancellation: CancellationSignal = CancellationSignal(),
                memory: MemoryReservation = MemoryReservation()) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.id = id ?? RequestID.make(from: headers["x-request-id"])
        self.cancellation = cancellation
        self.memory = memory
    }

    /// The value of a header field; `name` is matched case-insensitively.
    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The media type of `Content-Type` without parameters, lower-cased (`application/json`).
    public var mediaType: String? {
        guard let value = header("content-type") else { return nil }
        let type = value.split(separator: ";", maxSplits: 1).first.map(String.init) ?? value
        return type.trimmingSpaces().lowercased()
    }

    /// Whether the server has cancelled the request (see ``cancellation``).
    public var isCancelled: Bool { cancellation.isCancelled }

    /// Adds `bytes` to what the request holds against the server's memory budget, for the
    /// tensors a handler is about to allocate once it knows their validated shapes. False when
    /// the budget has no room: the handler should answer ``ProblemDetails/overBudget(_:retryAfter:)``.
    public func reserve(_ bytes: Int) -> Bool { memory.reserve(bytes) }

    /// Raises what the request holds against the memory budget to `total` bytes, once a handler
    /// knows its validated call's peak: the server reserved a multiple of the body when the head
    /// arrived, which covers the body and its parse, but not a small request whose shapes imply
    /// large tensors. True when reserved (or nothing more is needed); false when the budget has
    /// no room, and the handler answers 503 (``ProblemDetails/overBudget(_:retryAfter:)``).
    public func reserve(toTotal total: Int) -> Bool {
        let covered = max(0, memory.bytes - body.count)
        guard total > covered else { return true }
        return reserve(total - covered)
    }
}
