import GRPCCore

/// `grpc.health.v1.Health`, for Kubernetes' `grpc:` probes: the server ("") and
/// `inference.GRPCInferenceService` are SERVING while the server is ready and NOT_SERVING while
/// it drains; other names are SERVICE_UNKNOWN (Check answers NOT_FOUND for them, as the
/// protocol says).
final class HealthService: Grpc_Health_V1_Health.SimpleServiceProtocol {
    let isServing: @Sendable () -> Bool
    static let known: Set<String> = ["", "inference.GRPCInferenceService", "grpc.health.v1.Health"]

    init(isServing: @escaping @Sendable () -> Bool) { self.isServing = isServing }

    func check(request: Grpc_Health_V1_HealthCheckRequest, context: ServerContext) async throws -> Grpc_Health_V1_HealthCheckResponse {
        guard Self.known.contains(request.service) else { throw RPCError(code: .notFound, message: "unknown service '\(request.service.prefix(100))'") }
        return .with { $0.status = isServing() ? .serving : .notServing }
    }

    func watch(request: Grpc_Health_V1_HealthCheckRequest, response: RPCWriter<Grpc_Health_V1_HealthCheckResponse>,
               context: ServerContext) async throws {
        var last: Grpc_Health_V1_HealthCheckResponse.ServingStatus?
        // Ends when the client leaves or the drain begins (the RPC cancellation handle), so an open
        // Watch never holds the drain.
        while !Task.isCancelled && !context.cancellation.isCancelled {
            let now: Grpc_Health_V1_HealthCheckResponse.ServingStatus = Self.known.contains(request.service) ? (isServing() ? .serving : .notServing) : .serviceUnknown
            if now != last {
                try await response.write(.with { $0.status = now })
                last = now
            }
            try await Task.sleep(for: .seconds(1))
        }
        if last == .serving { try? await response.write(.with { $0.status = .notServing }) }
    }
}
