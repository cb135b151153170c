import ArgumentParser
import Logging
import MicroHTTP
import PoolAPI
import PoolCore

/// poolserve's command line: every flag also has an environment variable (the flag wins), and
/// every default comes from ``ServerConfiguration`` or ``Limits`` (written once, there).
struct Poolserve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "poolserve",
        abstract: "Neural-network pooling (max, avg, lp; forward and backward) as an HTTP JSON service.")

    private static let server = ServerConfiguration()
    private static let limits = Limits()

    @Option(help: "Address to bind (env POOLSERVE_HOST).")
    var host: String = Environment.string("POOLSERVE_HOST") ?? server.host

    @Option(help: "TCP port; 0 picks a free one (env POOLSERVE_PORT).")
    var port: Int = Environment.int("POOLSERVE_PORT") ?? server.port

    @Option(help: "Port of the admin listener serving /healthz, /readyz and /metrics on a thread of its own; 0 picks a free one; unset: none (env POOLSERVE_ADMIN_PORT).")
    var adminPort: Int?

    /// `--admin-port`, else `POOLSERVE_ADMIN_PORT`.
    var effectiveAdminPort: Int? { adminPort ?? Environment.int("POOLSERVE_ADMIN_PORT") }

    @Option(help: "Port of the Open Inference Protocol's gRPC listener (inference.GRPCInferenceService, grpc.health.v1.Health); 0 picks a free one; unset: none (env POOLSERVE_GRPC_PORT).")
    var grpcPort: Int?

    /// The gRPC port, from the flag or the environment (nil: no gRPC listener).
    var effectiveGRPCPort: Int? { grpcPort ?? Environment.int("POOLSERVE_GRPC_PORT") }

    @Option(help: "libmicrohttpd I/O threads (env POOLSERVE_THREADS; default: the core count).")
    var threads: Int = Environment.int("POOLSERVE_THREADS") ?? server.threads

    @Option(help: "Threads computing pooling requests (env POOLSERVE_COMPUTE_THREADS; default: the core count).")
    var computeThreads: Int = Environment.int("POOLSERVE_COMPUTE_THREADS") ?? server.computeThreads

    @Option(help: "Pooling requests that may wait for a compute thread; more get 503 (env POOLSERVE_MAX_QUEUED_REQUESTS).")
    var maxQueuedRequests: Int = Environment.int("POOLSERVE_MAX_QUEUED_REQUESTS") ?? server.maxQueuedRequests

    @Option(help: "Seconds a pooling request may wait for a compute thread; past it: 503 and never started; 0: no limit (env POOLSERVE_QUEUE_TIMEOUT).")
    var queueTimeout: Double = Environment.double("POOLSERVE_QUEUE_TIMEOUT") ?? server.queueTimeout

    @Option(help: "Largest request body in bytes, after decoding (env POOLSERVE_MAX_BODY_BYTES).")
    var maxBodyBytes: Int = Environment.int("POOLSERVE_MAX_BODY_BYTES") ?? server.maxBodyBytes

    @Option(help: "Most request body bytes read off the wire, before decoding (env POOLSERVE_MAX_WIRE_BYTES).")
    var maxWireBytes: Int = Environment.int("POOLSERVE_MAX_WIRE_BYTES") ?? server.maxWireBytes

    @Option(help: "Most a gzip or deflate body may grow when decoded, decoded/sent (env POOLSERVE_MAX_COMPRESSION_RATIO).")
    var maxCompressionRatio: Int = Environment.int("POOLSERVE_MAX_COMPRESSION_RATIO") ?? server.maxCompressionRatio

    @Option(help: "Seconds a request body has after its head, plus 1 s per --min-body-rate bytes received; past it: 408 (env POOLSERVE_BODY_TIMEOUT).")
    var bodyTimeout: Double = Environment.double("POOLSERVE_BODY_TIMEOUT") ?? server.bodyTimeout

    @Option(help: "Body bytes per second that extend --body-timeout by a second (env POOLSERVE_MIN_BODY_RATE).")
    var minBodyRate: Int = Environment.int("POOLSERVE_MIN_BODY_RATE") ?? server.minBodyRate

    @Option(help: "Bytes all requests in flight may hold (bodies, tensors, answers); more get 503 (env POOLSERVE_MAX_INFLIGHT_BYTES; default: half the cgroup memory limit, else a quarter of physical memory).")
    var maxInflightBytes: Int = Environment.int("POOLSERVE_MAX_INFLIGHT_BYTES") ?? server.maxInflightBytes

    @Option(help: "Most elements per tensor (env POOLSERVE_MAX_ELEMENTS).")
    var maxElements: Int = Environment.int("POOLSERVE_MAX_ELEMENTS") ?? limits.maxElements

    @Option(help: "Most window-cell visits per request (env POOLSERVE_MAX_WORK).")
    var maxWork: Int = Environment.int("POOLSERVE_MAX_WORK") ?? limits.maxWork

    @Option(help: "Most open connections (env POOLSERVE_MAX_CONNECTIONS).")
    var maxConnections: Int = Environment.int("POOLSERVE_MAX_CONNECTIONS") ?? server.maxConnections

    @Option(help: "Most open connections from one IP address; 0: no limit (env POOLSERVE_MAX_CONNECTIONS_PER_ADDRESS).")
    var maxConnectionsPerAddress: Int = Environment.int("POOLSERVE_MAX_CONNECTIONS_PER_ADDRESS") ?? server.maxConnectionsPerAddress

    @Option(help: "Seconds before an idle connection is closed (env POOLSERVE_CONNECTION_TIMEOUT).")
    var connectionTimeout: Int = Environment.int("POOLSERVE_CONNECTION_TIMEOUT") ?? server.connectionTimeout

    @Option(help: "Seconds a new connection has to send a complete request head (env POOLSERVE_HEADER_TIMEOUT).")
    var headerTimeout: Int = Environment.int("POOLSERVE_HEADER_TIMEOUT") ?? server.headerTimeout

    @Option(help: "Seconds an answer waits for its client to read anything before the connection is dropped (env POOLSERVE_SEND_TIMEOUT).")
    var sendTimeout: Int = Environment.int("POOLSERVE_SEND_TIMEOUT") ?? server.sendTimeout

    @Option(help: "Seconds to let requests in flight finish after SIGTERM, SIGINT or SIGHUP (env POOLSERVE_DRAIN_TIMEOUT).")
    var drainTimeout: Double = Environment.double("POOLSERVE_DRAIN_TIMEOUT") ?? 10

    @Flag(inversion: .prefixedNo, help: "gzip answers over 1 KiB for clients that accept it (env POOLSERVE_GZIP=on|off).")
    var gzip: Bool = Environment.bool("POOLSERVE_GZIP") ?? server.gzipResponses

    @Option(help: "trace, debug, info, notice, warning, error or critical (env POOLSERVE_LOG_LEVEL).")
    var logLevel: String = Environment.string("POOLSERVE_LOG_LEVEL") ?? "info"

    @Option(help: "text or json (env POOLSERVE_LOG_FORMAT).")
    var logFormat: String = Environment.string("POOLSERVE_LOG_FORMAT") ?? "text"

    @Option(help: "Layer repository of the /v2 (Open Inference Protocol) models, a JSON file (env POOLSERVE_LAYERS; default: the built-in layers).")
    var layers: String = Environment.string("POOLSERVE_LAYERS") ?? ""

    @Flag(help: "Do not serve: ask the poolserve at --host and --port for /healthz and exit 0 if it is healthy, 1 if not.")
    var probe = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0...65535, got \(port)") }
        if let adminPort = effectiveAdminPort, !(0...65535).contains(adminPort) { throw ValidationError("--admin-port must be 0...65535, got \(adminPort)") }
        guard (1...1024).contains(threads) else { throw ValidationError("--threads must be 1...1024, got \(threads)") }
        guard (1...1024).contains(computeThreads) else { throw ValidationError("--compute-threads must be 1...1024, got \(computeThreads)") }
        guard (1...Int(UInt32.max)).contains(maxBodyBytes) else { throw ValidationError("--max-body-bytes must be 1...4294967295") }
        guard maxElements >= 1, maxWork >= 1, maxConnections >= 1, maxInflightBytes >= 1 else {
            throw ValidationError("--max-elements, --max-work, --max-connections and --max-inflight-bytes must be ≥ 1")
        }
        guard maxQueuedRequests >= 0, maxConnectionsPerAddress >= 0, connectionTimeout >= 0, headerTimeout >= 0,
              sendTimeout >= 0, drainTimeout >= 0, queueTimeout >= 0, bodyTimeout > 0, minBodyRate >= 1,
              maxWireBytes >= 1, maxCompressionRatio >= 1 else {
            throw ValidationError("--max-queued-requests, --max-connections-per-address, --queue-timeout and the other timeouts must be ≥ 0; --body-timeout, --min-body-rate, --max-wire-bytes and --max-compression-ratio ≥ 1")
        }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level: unknown level \(logLevel)") }
        guard ["text", "json"].contains(logFormat) else { throw ValidationError("--log-format must be text or json") }
    }

    /// The server's configuration from the flags.
    var serverConfiguration: ServerConfiguration {
        var c = ServerConfiguration()
        c.host = host
        c.port = port
        c.threads = threads
        c.computeThreads = computeThreads
        c.maxQueuedRequests = maxQueuedRequests
        c.queueTimeout = queueTimeout
        c.maxBodyBytes = maxBodyBytes
        c.maxWireBytes = maxWireBytes
        c.maxCompressionRatio = maxCompressionRatio
        c.bodyTimeout = bodyTimeout
        c.minBodyRate = minBodyRate
        c.maxInflightBytes = maxInflightBytes
        c.maxConnections = maxConnections
        c.maxConnectionsPerAddress = maxConnectionsPerAddress
        c.connectionTimeout = connectionTimeout
        c.headerTimeout = headerTimeout
        c.sendTimeout = sendTimeout
        c.gzipResponses = gzip
        return c
    }

    /// The admin listener's configuration: one I/O thread, the probes only.
    var adminConfiguration: ServerConfiguration? {
        guard let adminPort = effectiveAdminPort else { return nil }
        var c = serverConfiguration
        c.port = adminPort
        c.threads = 1
        c.maxConnections = 64
        c.maxConnectionsPerAddress = 0
        return c
    }
}
