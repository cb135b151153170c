import InferenceGRPC
import InferenceProtocol
import Logging
import MicroHTTP
import Observability
import PoolCore

/// A gRPC call's share of the server's one memory budget.
extension MemoryReservation: GRPCMemoryAccount {}

extension Poolserve {
    /// Starts the gRPC listener when `--grpc-port` or `POOLSERVE_GRPC_PORT` asks for one, on the
    /// same repository, limits, memory budget and readiness as the HTTP front ends; a log line
    /// per call, with its request id.
    func startGRPC(repository: LayerRepository, limits: Limits, budget: MemoryBudget, metrics: RequestMetrics, logger: Logger,
                   isReady: @escaping @Sendable () -> Bool) throws -> (InferenceGRPCServer?, Int?) {
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
