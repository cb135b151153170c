import CMicroHTTPD
#if canImport(Glibc)
import Glibc
#endif

/// An HTTP/1.1 server on libmicrohttpd: a thread pool (epoll where available) serving a ``Router``.
///
/// The server gathers each request body into one buffer (up to
/// ``ServerConfiguration/maxBodyBytes``; past it the client gets 413 at once), calls the route's
/// handler on the worker thread and sends its response. It is safe to use from any thread.
public final class Server: @unchecked Sendable {
    /// The settings it was started with.
    public let configuration: ServerConfiguration
    /// The routes it serves.
    public let router: Router
    /// Called once per finished request with its response and duration in seconds (for logs and metrics).
    public let observer: (@Sendable (Request, Response, Double) -> Void)?

    private var daemon: OpaquePointer?
    private var quiesced = false
    private let lock = Mutex()
    /// Requests from their first byte of header to their last byte of response.
    let inFlight = Counter()

    /// The number of requests in flight (headers received, response not yet sent).
    public var requestsInFlight: Int { inFlight.value }

    /// The bound port (the system's choice when the configuration asked for 0).
    public private(set) var port: Int = 0

    /// Starts listening; when this returns the server accepts connections.
    public init(configuration: ServerConfiguration, router: Router,
                observer: (@Sendable (Request, Response, Double) -> Void)? = nil) throws {
        self.configuration = configuration
        self.router = router
        self.observer = observer
        guard (0...65535).contains(configuration.port) else {
            throw ServerError.invalidSetting("port must be 0...65535, got \(configuration.port)")
        }
        guard (1...1024).contains(configuration.threads) else {
            throw ServerError.invalidSetting("threads must be 1...1024, got \(configuration.threads)")
        }
        guard configuration.maxConnections >= 1, configuration.connectionTimeout >= 0,
              configuration.maxBodyBytes >= 0 else {
            throw ServerError.invalidSetting("limits must not be negative")
        }
        guard let address = SocketAddress(host: configuration.host, port: UInt16(configuration.port)) else {
            throw ServerError.invalidHost(configuration.host)
        }
        var flags = MHD_USE_INTERNAL_POLLING_THREAD.rawValue | MHD_USE_ERROR_LOG.rawValue | MHD_USE_ITC.rawValue
        if cmhd_has_epoll() != 0 { flags |= MHD_USE_EPOLL.rawValue }
        if address.isIPv6 { flags |= MHD_USE_IPv6.rawValue }
        let context = Unmanaged.passUnretained(self).toOpaque()
        var storage = address
        let started: OpaquePointer? = withUnsafeBytes(of: &storage) { raw in
            let sa = raw.baseAddress!.assumingMemoryBound(to: sockaddr.self)
            return cmhd_start(UInt32(flags), sa, UInt32(configuration.threads),
                              UInt32(min(configuration.maxConnections, Int(UInt32.max))),
                              UInt32(min(configuration.connectionTimeout, Int(UInt32.max))),
                              64 * 1024, accessHandler, context, requestCompleted, context)
        }
        guard let started else {
            throw ServerError.startFailed(host: configuration.host, port: configuration.port)
        }
        daemon = started
        port = Int(cmhd_bound_port(started))
    }

    /// Stops taking new connections (the listening socket is closed), waits until no request
    /// is being handled or `timeout` seconds have passed, then stops. Returns whether every
    /// request in flight finished.
    @discardableResult
    public func drain(timeout: Double) -> Bool {
        lock.withLock {
            if let daemon, !quiesced {
                let fd = MHD_quiesce_daemon(daemon)
                if fd >= 0 { close(fd) }
                quiesced = true
            }
        }
        let deadline = monotonicSeconds() + timeout
        var finished = inFlight.value == 0
        while !finished && monotonicSeconds() < deadline {
            usleep(10_000)
            finished = inFlight.value == 0
        }
        stop()
        return finished
    }

    /// The number of open connections.
    public var openConnections: Int {
        lock.withLock { daemon.map { Int(cmhd_current_connections($0)) } ?? 0 }
    }

    /// Stops accepting connections, closes the open ones and joins the worker threads.
    /// Safe to call more than once.
    public func stop() {
        let d: OpaquePointer? = lock.withLock {
            let d = daemon
            daemon = nil
            return d
        }
        if let d { MHD_stop_daemon(d) }
    }

    deinit { stop() }
}
