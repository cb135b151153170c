import TensorJSON
/// An HTTP response: status, header fields, and a body held in one buffer or written in
/// pieces by a ``BodyProducer``.
public struct Response: Sendable {
    /// The status code.
    public var status: Int
    /// Header fields in the order they are sent. `Content-Length` is added by the server.
    public var headers: [(name: String, value: String)]
    /// The body bytes (unused when ``producer`` is set). The server hands this buffer to
    /// libmicrohttpd as it is, without a copy.
    public var body: [UInt8]
    /// Writes the body in pieces as the client reads it, instead of ``body``.
    public var producer: (any BodyProducer)?
    /// The handler's stages (`parse`, `validate`, …) for the `Server-Timing` header and the
    /// stage histogram; the server adds `recv`, `queue`, `gzip` and `total`.
    public var timings: [StageTiming]
    /// Set by a handler that refuses the request for lack of room (its 503), so that the server
    /// reports it (``Exchange/shed``) like the refusals it makes itself.
    public var shed: ShedReason?

    /// A response with header fields and a body.
    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
        self.producer = nil
        self.timings = []
        self.shed = nil
    }

    /// A response with a body of the given media type.
    public init(status: Int, contentType: String, body: [UInt8]) {
        self.init(status: status, headers: [("Content-Type", contentType)], body: body)
    }

    /// A response whose body `producer` writes in pieces.
    public init(status: Int, headers: [(name: String, value: String)] = [], producer: any BodyProducer) {
        self.init(status: status, headers: headers)
        self.producer = producer
    }

    /// The value of the first header field called `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }

    /// The body's length when it is known before it is written.
    public var bodyLength: Int? {
        if let producer { return producer.length }
        return body.count
    }

    /// The bytes the body holds until it is sent (counted against the memory budget).
    public var retainedBytes: Int { producer?.retainedBytes ?? body.count }
}

extension Response {
    /// `s` as a JSON string literal (RFC 8259 escapes). Kept for callers of the earlier API;
    /// the same as ``JSONString/quoted(_:)``.
    public static func jsonQuoted(_ s: String) -> String { JSONString.quoted(s) }

    /// An RFC 9457 `application/problem+json` response with `type`, `title`, `status` and
    /// `detail` (see ``ProblemDetails`` for problems with more members).
    public static func problem(status: Int, type: String, title: String, detail: String,
                               extraHeaders: [(name: String, value: String)] = []) -> Response {
        ProblemDetails(status: status, type: type, title: title, detail: detail, headers: extraHeaders).response
    }

    /// This response with `stages` (name, seconds) before the stages it carries.
    public func stamped(_ stages: [(name: String, seconds: Double)]) -> Response {
        var r = self
        r.timings = stages.map { StageTiming($0.name, seconds: $0.seconds) } + r.timings
        return r
    }
}
