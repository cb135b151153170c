/// How a ``Server`` listens and what it allows a connection and a request. The defaults here
/// are the service's defaults (the executable's flags start from them).
public struct ServerConfiguration: Sendable {
    /// The address to bind: an IPv4 or IPv6 literal, or `localhost`.
    public var host: String = "127.0.0.1"
    /// The TCP port; 0 asks the system for a free one (see ``Server/port``).
    public var port: Int = 8080
    /// libmicrohttpd's I/O threads; each serves its connections one event at a time.
    public var threads: Int = SystemResources.coreCount
    /// Threads of the compute pool that runs ``RouteKind/compute`` routes.
    public var computeThreads: Int = SystemResources.coreCount
    /// Compute requests that may wait for a compute thread; more are answered 503.
    public var maxQueuedRequests: Int = 64
    /// Seconds a compute request may wait in the queue; past it, it is answered 503 with
    /// `Retry-After` and never started (0: no deadline).
    public var queueTimeout: Double = 10
    /// The largest request body accepted (after decoding); a larger one is answered 413.
    public var maxBodyBytes: Int = 64 << 20
    /// The most body bytes read off the wire (before decoding); past it, 413. Bounds what a
    /// compressed body that decodes to little (empty deflate blocks) can make the server read.
    public var maxWireBytes: Int = 64 << 20
    /// The most a compressed body may grow when decoded (decoded / wire bytes, checked past
    /// 1 MiB decoded); past it, 413.
    public var maxCompressionRatio: Int = 100
    /// Seconds a request body has after its head, plus one second per ``minBodyRate`` bytes
    /// received (Apache mod_reqtimeout's rule); a body that falls behind is answered 408 and
    /// the connection closed.
    public var bodyTimeout: Double = 20
    /// Bytes per second that extend a body's time by one second (see ``bodyTimeout``).
    public var minBodyRate: Int = 500
    /// The most connections open at once; more are refused by libmicrohttpd.
    public var maxConnections: Int = 1024
    /// The most connections open at once from one IP address (0: no limit).
    public var maxConnectionsPerAddress: Int = 256
    /// Seconds a connection may stay idle (nothing received or sent) before it is closed; also
    /// the time a kept-alive connection has to deliver its next request head.
    public var connectionTimeout: Int = 30
    /// Seconds a new connection has to deliver its first complete request head, however
    /// slowly it trickles (answered 408 and closed past it).
    public var headerTimeout: Int = 10
    /// Seconds an answer may wait for its client to read anything before the connection is
    /// dropped and the answer freed.
    public var sendTimeout: Int = 10
    /// The memory budget of all requests in flight (see ``MemoryBudget``).
    public var maxInflightBytes: Int = MemoryBudget.systemDefault()
    /// Bytes reserved per body byte when a request's head arrives: what a request holds at its
    /// peak (body, parsed document, tensors, answer) per byte of body, measured (README).
    public var reservationFactor: Double = 3
    /// Whether answers over ``gzipMinimumBytes`` are gzip-compressed for clients that accept it.
    public var gzipResponses: Bool = true
    /// The smallest answer that is compressed.
    public var gzipMinimumBytes: Int = 1024
    /// The `Retry-After` seconds of every 503.
    public var retryAfterSeconds: Int = 1
    /// The longest request target (path and query) answered as problem+json (414 past it);
    /// libmicrohttpd answers longer heads than ``headBufferBytes`` itself.
    public var maxTargetBytes: Int = 8192
    /// The largest request head (all header fields) answered as problem+json (431 past it).
    public var maxHeadBytes: Int = 32768
    /// libmicrohttpd's memory per connection for the head and its buffers; a head that does not
    /// fit is answered by libmicrohttpd (414 or 431, HTML).
    public var headBufferBytes: Int = 64 * 1024

    /// The defaults.
    public init() {}
}
