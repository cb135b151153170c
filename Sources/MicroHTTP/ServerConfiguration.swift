/// How a ``Server`` listens and what it allows a connection.
public struct ServerConfiguration: Sendable {
    /// The address to bind: an IPv4 or IPv6 literal, or `localhost`.
    public var host: String = "127.0.0.1"
    /// The TCP port; 0 asks the system for a free one (see ``Server/port``).
    public var port: Int = 8080
    /// Worker threads in libmicrohttpd's pool; each serves its connections one request at a time.
    public var threads: Int = 2
    /// The largest request body accepted; a larger one is answered 413 without reading it.
    public var maxBodyBytes: Int = 64 << 20
    /// The most connections open at once; more are refused by libmicrohttpd.
    public var maxConnections: Int = 1024
    /// Seconds a connection may stay idle before it is closed.
    public var connectionTimeout: Int = 30

    public init() {}
}
