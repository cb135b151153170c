import GRPCCore
import Synchronization

/// What the gRPC front end tells the log and the metrics about one finished call.
public struct GRPCExchange: Sendable {
    /// `/package.Service/Method`.
    public let method: String
    /// The status code's name (`ok`, `invalidArgument`, ...).
    public let code: String
    /// The call's request id: the client's `x-request-id` when it sent a usable one, else one made here.
    public let requestID: String
    public let seconds: Double
    /// The client's address.
    public let peer: String
}

/// Gives every call a request id (echoed in the `x-request-id` response metadata) and reports
/// the call once its status is known.
final class ObservingInterceptor: ServerInterceptor {
    let observe: @Sendable (GRPCExchange) -> Void
    private let counter = Atomic<UInt64>(0)
    private let prefix = String(UInt32.random(in: 0...UInt32.max), radix: 16)

    init(observe: @escaping @Sendable (GRPCExchange) -> Void) { self.observe = observe }

    func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>, context: ServerContext,
        next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
    ) async throws -> StreamingServerResponse<Output> {
        let given = request.metadata[stringValues: "x-request-id"].first { $0.count <= 128 && !$0.isEmpty && $0.allSatisfy { $0.isASCII && !$0.isWhitespace } }
        let id = given ?? "\(prefix)-\(counter.wrappingAdd(1, ordering: .relaxed).newValue)"
        let start = ContinuousClock.now
        let method = "/\(context.descriptor.service.fullyQualifiedService)/\(context.descriptor.method)"
        let observe = self.observe
        let peer = context.remotePeer
        @Sendable func report(_ code: String) {
            let d = ContinuousClock.now - start
            observe(GRPCExchange(method: method, code: code, requestID: id,
                                 seconds: Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18, peer: peer))
        }
        var response: StreamingServerResponse<Output>
        do {
            response = try await next(request, context)
        } catch {
            report(Self.code(error))
            throw error
        }
        switch response.accepted {
        case .success(var contents):
            contents.metadata.addString(id, forKey: "x-request-id")
            let producer = contents.producer
            contents.producer = { writer in
                do {
                    let trailers = try await producer(writer)
                    report("ok")
                    return trailers
                } catch {
                    report(Self.code(error))
                    throw error
                }
            }
            response.accepted = .success(contents)
        case .failure(var error):
            error.metadata.addString(id, forKey: "x-request-id")
            report(Self.code(error))
            response.accepted = .failure(error)
        }
        return response
    }

    static func code(_ error: any Error) -> String {
        if let e = error as? RPCError { return "\(e.code)" }
        if error is CancellationError { return "cancelled" }
        return "unknown"
    }
}
