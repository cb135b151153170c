#if canImport(InferenceGRPC)
import InferenceGRPC
#endif
import InferenceProtocol
import Logging
import MicroHTTP
import Observability
import PoolCore

/// A front end beside the HTTP server that drains with it.
protocol DrainableFrontEnd: Sendable {
    /// Stops taking calls, lets those in flight finish within `timeout` seconds; whether they did.
    func drain(timeout: Double) -> Bool
}

#if canImport(InferenceGRPC)
/// A gRPC call's share of the server's one memory budget.
extension MemoryReservation: GRPCMemoryAccount {}

extension InferenceGRPCServer: DrainableFrontEnd {}

extension Poolserve {
    /// Starts the gRPC listener when `--grpc-port` or `POOLSERVE_GRPC_PORT` asks for one, on the
    /// same repository, limits, memory budget and readiness as the HTTP front ends; a log line
    /// per call, with its request id.
    func startGRPC(repository: LayerRepository, limits: Limits, budget: MemoryBudget, metrics: RequestMetrics, logger: Logger,
                   isReady: @escaping @Sendable () -> Bool) throws -> ((any DrainableFrontEnd)?, Int?) {
        guard let port = effectiveGRPCPort else { return (nil, nil) }
        let configuration = GRPCConfiguration(host: host, port: port, maxMessageBytes: maxBodyBytes,
                                              computeThreads: computeThreads, queueTimeout: queueTimeout > 0 ? queueTimeout : 1e9)
        let server = InferenceGRPCServer(
            repository: repository, limits: limits, configuration: configuration, isReady: isReady,
            account: { MemoryReservation(budget: budget) },
            observe: { exchange in
                metrics.recordCall(transport: "grpc", method: exchange.method, code: exchange.code, seconds: exchange.seconds)
                logger.info("request", metadata: [
                    "transport": "grpc", "method": "\(exchange.method)", "status": "\(exchange.code)",
                    "duration_ms": "\((exchange.seconds * 1e5).rounded() / 100)", "request_id": "\(exchange.requestID)",
                ])
            })
        return (server, try server.start())
    }
}
#else
/// Built with POOLSERVE_WITHOUT_GRPC (the sanitizer and fuzzing builds): no gRPC front end.
struct GRPCUnavailable: Error, CustomStringConvertible {
    var description: String { "this build has no gRPC front end (it was built with POOLSERVE_WITHOUT_GRPC=1)" }
}

extension Poolserve {
    func startGRPC(repository: LayerRepository, limits: Limits, budget: MemoryBudget, metrics: RequestMetrics, logger: Logger,
                   isReady: @escaping @Sendable () -> Bool) throws -> ((any DrainableFrontEnd)?, Int?) {
        guard effectiveGRPCPort == nil else { throw GRPCUnavailable() }
        return (nil, nil)
    }
}
#endif
