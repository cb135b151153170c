import ArgumentParser
import InferenceAPI
import Logging
import MicroHTTP
import Observability
import PoolAPI
import PoolCore

import Dispatch
import Glibc
import Synchronization

extension Poolserve {
    /// The probes and metrics, served on the main port and (with `--admin-port`) on the admin
    /// listener.
    static let adminPaths: Set<String> = ["/healthz", "/readyz", "/metrics"]
    /// The signals that drain and stop the server.
    static let stopSignals = [SIGTERM, SIGINT, SIGHUP]

    func run() throws {
        if probe {
            throw HealthProbe.healthy(host: host, port: effectiveAdminPort ?? port) ? ExitCode.success : ExitCode.failure
        }
        Signals.block(Self.stopSignals)
        bootstrapLogging()
        let logger = Logger(label: "poolserve")
        Process.raiseOpenFileLimit()
        MemoryTuning.apply()
        let service = PoolService(limits: Limits(maxElements: maxElements, maxWork: maxWork))
        let repository: LayerRepository
        do { repository = layers.isEmpty ? .builtIn : try LayerRepository.load(path: layers) } catch {
            logger.critical("cannot start: \(error)")
            throw ExitCode.failure
        }
        let inference = InferenceService(repository: repository, limits: service.limits) { service.isReady }
        let statistics = ServerStatistics()
        let configuration = serverConfiguration
        let budget = MemoryBudget(limit: configuration.maxInflightBytes)
        var router = service.router()
        inference.register(in: &router)
        let metrics = RequestMetrics { inference.metricLabels(path: $0) }
        router.add(.get, "/metrics") { _ in
            Response(status: 200, contentType: "text/plain; version=0.0.4",
                     body: metrics.exposition(statistics, budget: budget, scrapeInFlight: true))
        }
        let observe: @Sendable (Exchange) -> Void = { exchange in
            metrics.record(exchange)
            var extra: Logger.Metadata = [:]
            if !exchange.complete { extra["complete"] = "false" }
            logger.info("request", metadata: extra.merging([
                "method": "\(exchange.method)", "path": "\(exchange.path)", "status": "\(exchange.status)",
                "bytes_in": "\(exchange.bytesIn)", "bytes_out": "\(exchange.bytesOut.map(String.init) ?? "streamed")",
                "duration_ms": "\((exchange.seconds * 1e5).rounded() / 100)", "request_id": "\(exchange.requestID)",
            ]) { $1 })
        }
        let messages: @Sendable (String) -> Void = { text in
            logger.debug("libmicrohttpd", metadata: ["message": "\(text.trimmingCharacters(in: ["\n"]))"])
        }
        let server: Server
        let admin: Server?
        do {
            server = try Server(configuration: configuration, router: router, statistics: statistics, budget: budget,
                                messages: messages, observer: observe)
            var adminRouter = router.restricted(to: Self.adminPaths)
            adminRouter.add(.get, "/metrics") { _ in
                Response(status: 200, contentType: "text/plain; version=0.0.4",
                         body: metrics.exposition(statistics, budget: budget, scrapeInFlight: false))
            }
            admin = try adminConfiguration.map {
                try Server(configuration: $0, router: adminRouter, messages: messages, observer: observe)
            }
        } catch {
            logger.critical("cannot start: \(error)")
            throw ExitCode.failure
        }
        let grpc: (any DrainableFrontEnd)?
        let grpcPort: Int?
        do {
            (grpc, grpcPort) = try startGRPC(repository: repository, limits: service.limits, budget: budget, metrics: metrics, logger: logger) { service.isReady }
        } catch {
            logger.critical("cannot start the gRPC listener: \(error)")
            throw ExitCode.failure
        }
        let shown = host.contains(Character(":")) ? "[\(host)]" : host
        print("listening on http://\(shown):\(server.port)")
        if let admin { print("admin listening on http://\(shown):\(admin.port)") }
        if let grpcPort { print("grpc listening on \(shown):\(grpcPort)") }
        fflush(nil)
        logger.info("started", metadata: [
            "threads": "\(threads)", "compute_threads": "\(computeThreads)", "max_body_bytes": "\(maxBodyBytes)",
            "max_inflight_bytes": "\(configuration.maxInflightBytes)", "max_elements": "\(maxElements)", "max_work": "\(maxWork)",
        ])

        let signal = Signals.wait(for: Self.stopSignals)
        logger.info("draining", metadata: ["signal": "\(signal)", "in_flight": "\(server.requestsInFlight)",
                                           "drain_timeout_s": "\(drainTimeout)"])
        service.drain()
        // Both front ends drain at once, each within the drain timeout.
        let grpcDrained = Mutex<Bool>(true)
        let grpcDone = DispatchSemaphore(value: 0)
        let timeout = drainTimeout
        if let grpc {
            DispatchQueue.global().async {
                let drained = grpc.drain(timeout: timeout)
                grpcDrained.withLock { $0 = drained }
                grpcDone.signal()
            }
        } else {
            grpcDone.signal()
        }
        let finished = server.drain(timeout: drainTimeout)
        grpcDone.wait()
        admin?.stop()
        logger.info("stopped", metadata: ["drained": "\(finished)", "grpc_drained": "\(grpcDrained.withLock { $0 })"])
    }

    private func bootstrapLogging() {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        let format = LineLogHandler.Format(rawValue: logFormat) ?? .text
        LoggingSystem.bootstrap { label in LineLogHandler(label: label, format: format, level: level) }
    }
}

extension String {
    /// The string without leading and trailing `characters`.
    func trimmingCharacters(in characters: Set<Character>) -> String {
        var s = Substring(self)
        while let c = s.first, characters.contains(c) { s.removeFirst() }
        while let c = s.last, characters.contains(c) { s.removeLast() }
        return String(s)
    }
}
