import CMicroHTTPD
import Glibc
import Synchronization

/// An HTTP/1.1 server on libmicrohttpd serving a ``Router``: I/O threads (epoll) read heads and
/// bodies and send answers; ``RouteKind/compute`` routes run on a bounded compute pool of their
/// own, so that quick routes (probes, metrics) answer whatever the compute load.
///
/// Every request is held to the configuration's bounds: body size (decoded, for gzip and
/// deflate bodies), the memory budget of all requests in flight, the compute queue, the
/// deadline for a request head, the send timeout, connections per address. It is safe to use
/// from any thread.
public final class Server: Sendable {
    /// The settings it was started with.
    public let configuration: ServerConfiguration
    /// The routes it serves.
    public let router: Router
    /// The application's words for the errors the server answers itself.
    var words: ServerVocabulary { router.vocabulary }
    /// Its live figures.
    public let statistics: ServerStatistics
    /// The memory budget its requests reserve against.
    public let budget: MemoryBudget
    /// Called once per answered request (for logs and metrics), on the thread that answered it.
    let observer: (@Sendable (Exchange) -> Void)?
    /// Called with each message libmicrohttpd logs (malformed requests, socket errors).
    let messageHandler: (@Sendable (String) -> Void)?

    let pool: ComputePool?
    let connections = ConnectionTable()
    let headsInProgress = HeadsInProgress()
    let pending = PendingRegistry()
    let draining = Atomic<Bool>(false)
    /// Set when a large request ended, so that the sweeper gives freed memory back to the system.
    let trimWanted = Atomic<Bool>(false)
    private let daemon = Locked<DaemonHandle?>(nil)
    private let quiesced = Atomic<Bool>(false)
    private let boundPort = Atomic<Int>(0)
    private let sweeper = Sweeper(interval: 0.25)

    /// The bound port (the system's choice when the configuration asked for 0).
    public var port: Int { boundPort.load(ordering: .relaxed) }

    /// The number of requests in flight (head received, answer not yet sent).
    public var requestsInFlight: Int { statistics.requestsInFlight }

    /// Starts listening; when this returns the server accepts connections.
    public init(configuration: ServerConfiguration, router: Router, statistics: ServerStatistics = ServerStatistics(),
                budget: MemoryBudget? = nil, messages: (@Sendable (String) -> Void)? = nil,
                observer: (@Sendable (Exchange) -> Void)? = nil) throws {
        try Self.validate(configuration)
        guard let address = SocketAddress(host: configuration.host, port: UInt16(configuration.port)) else {
            throw ServerError.invalidHost(configuration.host)
        }
        self.configuration = configuration
        self.router = router
        self.statistics = statistics
        self.budget = budget ?? MemoryBudget(limit: configuration.maxInflightBytes)
        self.observer = observer
        self.messageHandler = messages
        pool = router.hasComputeRoutes
            ? ComputePool(threads: configuration.computeThreads, maxQueued: configuration.maxQueuedRequests, statistics: statistics)
            : nil
        try start(address)
        sweeper.start { [weak self] in self?.sweep() }
    }

    private static func validate(_ c: ServerConfiguration) throws {
        guard (0...65535).contains(c.port) else { throw ServerError.invalidSetting("port must be 0...65535, got \(c.port)") }
        guard (1...1024).contains(c.threads) else { throw ServerError.invalidSetting("threads must be 1...1024, got \(c.threads)") }
        guard (1...1024).contains(c.computeThreads) else {
            throw ServerError.invalidSetting("compute threads must be 1...1024, got \(c.computeThreads)")
        }
        guard c.maxConnections >= 1, c.connectionTimeout >= 0, c.maxBodyBytes >= 0, c.maxQueuedRequests >= 0,
              c.maxConnectionsPerAddress >= 0, c.headerTimeout >= 0, c.sendTimeout >= 0, c.maxInflightBytes >= 0 else {
            throw ServerError.invalidSetting("limits must not be negative")
        }
    }

    private func start(_ address: SocketAddress) throws {
        var flags = MHD_USE_INTERNAL_POLLING_THREAD.rawValue | MHD_USE_ERROR_LOG.rawValue | MHD_ALLOW_SUSPEND_RESUME.rawValue
        if cmhd_has_epoll() != 0 { flags |= MHD_USE_EPOLL.rawValue }
        if address.isIPv6 { flags |= MHD_USE_IPv6.rawValue }
        let c = configuration
        let logger = UnsafeMutablePointer<cmhd_logger>.allocate(capacity: 1)
        logger.initialize(to: cmhd_logger())
        var storage = address.storage
        let started: OpaquePointer? = withUnsafeBytes(of: &storage) { raw in
            var settings = cmhd_settings()
            settings.flags = UInt32(flags)
            settings.address = raw.baseAddress!.assumingMemoryBound(to: sockaddr.self)
            settings.threads = UInt32(c.threads)
            settings.connection_limit = UInt32(min(c.maxConnections, Int(UInt32.max)))
            settings.per_address_limit = UInt32(min(c.maxConnectionsPerAddress, Int(UInt32.max)))
            settings.connection_timeout = UInt32(min(c.connectionTimeout, Int(UInt32.max)))
            settings.connection_memory_limit = c.headBufferBytes
            settings.access = { cls, connection, url, method, version, data, size, context in
                guard let cls, let connection, let size, let context else { return .NO }
                return Unmanaged<Server>.fromOpaque(cls).takeUnretainedValue()
                    .access(connection, url: url, method: method, version: version, data: data, size: size, context: context)
            }
            settings.completed = { cls, connection, context, code in
                guard let cls, let context else { return }
                Unmanaged<Server>.fromOpaque(cls).takeUnretainedValue().completed(connection, context: context, code: code)
            }
            settings.notify_connection = { cls, connection, _, code in
                guard let cls, let connection else { return }
                Unmanaged<Server>.fromOpaque(cls).takeUnretainedValue().connectionChanged(connection, code: code)
            }
            settings.uri_log = { cls, uri, connection in
                guard let cls, let uri else { return nil }
                return Unmanaged<Server>.fromOpaque(cls).takeUnretainedValue().requestLine(uri, connection: connection)
            }
            settings.message = { cls, text in
                guard let cls, let text else { return }
                Unmanaged<Server>.fromOpaque(cls).takeUnretainedValue().libraryMessage(String(cString: text))
            }
            settings.cls = Unmanaged.passUnretained(self).toOpaque()
            return cmhd_start(&settings, logger)
        }
        guard let started else {
            logger.deinitialize(count: 1)
            logger.deallocate()
            throw ServerError.startFailed(host: c.host, port: c.port)
        }
        daemon.withLock { $0 = DaemonHandle(daemon: started, logger: logger) }
        boundPort.store(Int(cmhd_bound_port(started)), ordering: .relaxed)
    }

    /// Stops taking new connections (the listening socket is closed) and lets the open ones
    /// finish: every answer from now on says `Connection: close`, and the drain waits until no
    /// request is in flight and every connection has closed — or the rest have been idle for
    /// ``drainIdleGrace`` (a keep-alive connection whose next request is already on its way
    /// would otherwise be closed under it). At `timeout` it stops every computation still
    /// running (its client gets 503 with `Retry-After`), lets those answers go out (at most
    /// half a second) and stops. Returns whether every request in flight finished by itself.
    @discardableResult
    public func drain(timeout: Double) -> Bool {
        draining.store(true, ordering: .relaxed)
        daemon.withLock { handle in
            if let handle, !quiesced.exchange(true, ordering: .relaxed) {
                let fd = MHD_quiesce_daemon(handle.daemon)
                if fd >= 0 { close(fd) }
            }
        }
        let finished = waitForQuiet(until: MonotonicClock.now() + timeout)
        if !finished {
            stopComputations()
            // Uploads still arriving get the drain's answer too, not a closed connection.
            let refusal = ProblemDetails.uploadStopped(words, retryAfter: configuration.retryAfterSeconds)
            connections.refuseBodies(answer: RawAnswer.bytes(refusal.response, requestID: nil))
            _ = waitForRequests(until: MonotonicClock.now() + 0.5)
        }
        stop()
        return finished
    }

    /// How long open connections must have carried no request before a drain closes them.
    static let drainIdleGrace = 1.0

    /// Waits until no request is in flight and no connection is open (or those open have been
    /// idle for ``drainIdleGrace``), or `deadline`; returns whether no request is in flight.
    private func waitForQuiet(until deadline: Double) -> Bool {
        var lastBusy = MonotonicClock.now()
        while true {
            let now = MonotonicClock.now()
            if statistics.requestsInFlight > 0 {
                lastBusy = now
            } else if statistics.openConnections == 0 || now - lastBusy >= Self.drainIdleGrace {
                return true
            }
            if now >= deadline { return statistics.requestsInFlight == 0 }
            usleep(5_000)
        }
    }

    /// Waits until no request is in flight or `deadline`; returns whether none is.
    private func waitForRequests(until deadline: Double) -> Bool {
        while statistics.requestsInFlight > 0 && MonotonicClock.now() < deadline { usleep(5_000) }
        return statistics.requestsInFlight == 0
    }

    /// Answers every compute request still waiting 503, raises its cancellation signal, and
    /// refuses new ones.
    func stopComputations() {
        for answer in pending.close() {
            answer.cancellation.cancel()
            answer.answer(ProblemDetails.stopped(words, retryAfter: configuration.retryAfterSeconds).response, shed: .draining)
        }
    }

    /// Stops accepting connections, closes the open ones and joins the I/O threads. Safe to
    /// call more than once.
    public func stop() {
        stopComputations()
        guard let handle = daemon.withLock({ d -> DaemonHandle? in
            let taken = d
            d = nil
            return taken
        }) else { return }
        sweeper.stop()
        MHD_stop_daemon(handle.daemon)
        handle.logger.deinitialize(count: 1)
        handle.logger.deallocate()
        pool?.stop()
    }

    deinit { stop() }
}
