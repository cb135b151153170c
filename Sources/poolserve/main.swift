import ArgumentParser
import Dispatch
import InferenceAPI
import Logging
import MicroHTTP
import PoolAPI

#if canImport(Glibc)
import Glibc
#endif

/// Reads an environment variable.
func env(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }
}

/// poolserve's command line: every flag also has an environment variable (flag wins).
struct Poolserve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "poolserve",
        abstract: "Neural-network pooling (max, avg, lp; forward and backward) as an HTTP JSON service.")

    @Option(help: "Address to bind (env POOLSERVE_HOST).")
    var host: String = env("POOLSERVE_HOST") ?? "127.0.0.1"

    @Option(help: "TCP port; 0 picks a free one (env POOLSERVE_PORT).")
    var port: Int = env("POOLSERVE_PORT").flatMap { Int($0) } ?? 8080

    @Option(help: "Worker threads (env POOLSERVE_THREADS; default: the core count).")
    var threads: Int = env("POOLSERVE_THREADS").flatMap { Int($0) } ?? Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))

    @Option(help: "Largest request body in bytes (env POOLSERVE_MAX_BODY_BYTES).")
    var maxBodyBytes: Int = env("POOLSERVE_MAX_BODY_BYTES").flatMap { Int($0) } ?? 64 << 20

    @Option(help: "Most elements per tensor (env POOLSERVE_MAX_ELEMENTS).")
    var maxElements: Int = env("POOLSERVE_MAX_ELEMENTS").flatMap { Int($0) } ?? 16_777_216

    @Option(help: "Most window-cell visits per request (env POOLSERVE_MAX_WORK).")
    var maxWork: Int = env("POOLSERVE_MAX_WORK").flatMap { Int($0) } ?? 2_000_000_000

    @Option(help: "Most open connections (env POOLSERVE_MAX_CONNECTIONS).")
    var maxConnections: Int = env("POOLSERVE_MAX_CONNECTIONS").flatMap { Int($0) } ?? 1024

    @Option(help: "Seconds before an idle connection is closed (env POOLSERVE_CONNECTION_TIMEOUT).")
    var connectionTimeout: Int = env("POOLSERVE_CONNECTION_TIMEOUT").flatMap { Int($0) } ?? 30

    @Option(help: "Seconds to let requests in flight finish after SIGTERM or SIGINT (env POOLSERVE_DRAIN_TIMEOUT).")
    var drainTimeout: Double = env("POOLSERVE_DRAIN_TIMEOUT").flatMap { Double($0) } ?? 10

    @Option(help: "trace, debug, info, notice, warning, error or critical (env POOLSERVE_LOG_LEVEL).")
    var logLevel: String = env("POOLSERVE_LOG_LEVEL") ?? "info"

    @Option(help: "text or json (env POOLSERVE_LOG_FORMAT).")
    var logFormat: String = env("POOLSERVE_LOG_FORMAT") ?? "text"

    @Option(help: "Layer repository of the /v2 (Open Inference Protocol) models, a JSON file (env POOLSERVE_LAYERS; default: the built-in layers).")
    var layers: String = env("POOLSERVE_LAYERS") ?? ""

    @Flag(help: "Do not serve: ask the poolserve at --host and --port for /healthz and exit 0 if it is healthy, 1 if not.")
    var probe = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0...65535, got \(port)") }
        guard (1...1024).contains(threads) else { throw ValidationError("--threads must be 1...1024, got \(threads)") }
        guard (1...Int(UInt32.max)).contains(maxBodyBytes) else { throw ValidationError("--max-body-bytes must be 1...4294967295") }
        guard maxElements >= 1, maxWork >= 1, maxConnections >= 1, connectionTimeout >= 0, drainTimeout >= 0 else {
            throw ValidationError("limits must be ≥ 1 (timeouts ≥ 0)")
        }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level: unknown level \(logLevel)") }
        guard ["text", "json"].contains(logFormat) else { throw ValidationError("--log-format must be text or json") }
    }

    func run() throws {
        if probe {
            throw HealthProbe.healthy(host: host, port: port) ? ExitCode.success : ExitCode.failure
        }
        let level = Logger.Level(rawValue: logLevel) ?? .info
        let json = logFormat == "json"
        LoggingSystem.bootstrap { label in
            if json {
                var handler = JSONLogHandler(label: label)
                handler.logLevel = level
                return handler
            }
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "poolserve")
        MemoryTuning.apply()
        let service = PoolService(limits: Limits(maxElements: maxElements, maxWork: maxWork))
        var router = service.router()
        let repository: LayerRepository
        do { repository = layers.isEmpty ? .builtIn : try LayerRepository.load(path: layers) } catch {
            logger.critical("cannot start: \(error)")
            throw ExitCode.failure
        }
        let inference = InferenceService(repository: repository, limits: service.limits) { service.isReady }
        inference.register(in: &router)
        let metrics = RequestMetrics(router: router) { inference.metricLabels(path: $0) }
        let current = ServerReference()
        router.add(.get, "/metrics") { _ in
            // The scrape itself is in flight while it runs.
            Response(status: 200, contentType: "text/plain; version=0.0.4",
                     body: metrics.exposition(inFlight: max(0, (current.server?.requestsInFlight ?? 1) - 1)))
        }
        var configuration = ServerConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.threads = threads
        configuration.maxBodyBytes = maxBodyBytes
        configuration.maxConnections = maxConnections
        configuration.connectionTimeout = connectionTimeout
        let server: Server
        do {
            server = try Server(configuration: configuration, router: router) { request, response, seconds in
                metrics.record(request, response, seconds: seconds)
                logger.info("request", metadata: [
                    "method": "\(request.method)", "path": "\(request.path)", "status": "\(response.status)",
                    "bytes_in": "\(request.body.count)", "bytes_out": "\(response.body.count)",
                    "duration_ms": "\((seconds * 1e5).rounded() / 100)", "request_id": "\(request.id)",
                ])
            }
        } catch {
            logger.critical("cannot start: \(error)")
            throw ExitCode.failure
        }
        current.server = server
        let shown = host.contains(":") ? "[\(host)]" : host
        print("listening on http://\(shown):\(server.port)")
        fflush(stdout)
        logger.info("started", metadata: ["threads": "\(threads)", "max_body_bytes": "\(maxBodyBytes)",
                                          "max_elements": "\(maxElements)", "max_work": "\(maxWork)"])

        let stop = DispatchSemaphore(value: 0)
        signal(SIGPIPE, SIG_IGN)
        let sources = [SIGTERM, SIGINT].map { sig -> DispatchSourceSignal in
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { stop.signal() }
            source.resume()
            return source
        }
        stop.wait()
        logger.info("draining", metadata: ["in_flight": "\(server.requestsInFlight)", "drain_timeout_s": "\(drainTimeout)"])
        service.drain()
        let finished = server.drain(timeout: drainTimeout)
        sources.forEach { $0.cancel() }
        logger.info("stopped", metadata: ["drained": "\(finished)"])
    }
}

/// The running server, for handlers registered before it exists.
final class ServerReference: @unchecked Sendable {
    var server: Server?
}

Poolserve.main()
