import Dispatch
import GRPCCore
import GRPCNIOTransportHTTP2Posix
import InferenceProtocol
import PoolCore
import Synchronization

/// What the gRPC listener needs from the command line.
public struct GRPCConfiguration: Sendable {
    /// Address and port (0: any free port; ``InferenceGRPCServer/start()`` tells which).
    public var host: String
    public var port: Int
    /// The largest request message, after decompression (REST's body limit): RESOURCE_EXHAUSTED
    /// past it (see ``MessageSizeLimit`` for how far past).
    public var maxMessageBytes: Int
    /// How many calls compute at once, and how long one waits for a thread.
    public var computeThreads: Int
    public var queueTimeout: Double

    public init(host: String, port: Int, maxMessageBytes: Int, computeThreads: Int, queueTimeout: Double) {
        self.host = host
        self.port = port
        self.maxMessageBytes = maxMessageBytes
        self.computeThreads = computeThreads
        self.queueTimeout = queueTimeout
    }
}

/// The Open Inference Protocol's gRPC listener: `inference.GRPCInferenceService` and
/// `grpc.health.v1.Health` over HTTP/2 (plaintext), gzip and deflate message compression on.
/// Its own SwiftNIO event loops; nothing else in the server uses SwiftNIO.
public final class InferenceGRPCServer: Sendable {
    private let service: InferenceGRPCService
    private let server: GRPCServer<HTTP2ServerTransport.Posix>
    private let transport: HTTP2ServerTransport.Posix
    private let finished = DispatchSemaphore(value: 0)
    private let task = Mutex<Task<Void, Never>?>(nil)

    public init(repository: LayerRepository, limits: Limits, configuration: GRPCConfiguration,
                isReady: @escaping @Sendable () -> Bool,
                account: @escaping @Sendable () -> any GRPCMemoryAccount = { UnlimitedMemoryAccount() },
                observe: @escaping @Sendable (GRPCExchange) -> Void = { _ in }) {
        let service = InferenceGRPCService(repository: repository, limits: limits, isReady: isReady,
                                           gate: ComputeGate(threads: configuration.computeThreads, queueTimeout: configuration.queueTimeout),
                                           account: account)
        self.service = service
        let sizeLimit = MessageSizeLimit(limit: configuration.maxMessageBytes)
        transport = HTTP2ServerTransport.Posix(
            address: configuration.host.contains(Character(":")) ? .ipv6(host: configuration.host, port: configuration.port)
                : .ipv4(host: configuration.host, port: configuration.port),
            transportSecurity: .plaintext,
            config: .defaults { config in
                config.compression.enabledAlgorithms = [.gzip, .deflate]
                config.rpc.maxRequestPayloadSize = sizeLimit.transportLimit
                // Tensors are megabytes: a window of 64 KiB would stall each call on
                // WINDOW_UPDATE round trips, 16 KiB frames would cut it into hundreds.
                config.http2.targetWindowSize = 16 << 20
                config.http2.maxFrameSize = 1 << 20
            })
        server = GRPCServer(transport: transport, services: [SizeLimitedInferenceService(service: service, limit: sizeLimit), HealthService { service.ready }],
                            interceptors: [ObservingInterceptor(observe: observe)])
    }

    /// Starts listening; returns the port once the listener is bound.
    public func start() throws -> Int {
        let server = self.server, finished = self.finished, transport = self.transport
        let outcome = StartOutcome()
        let serving = Task.detached {
            do { try await server.serve() } catch { outcome.state.withLock { $0.failure = error } }
            finished.signal()
            outcome.bound.signal()
        }
        task.withLock { $0 = serving }
        Task.detached {
            let address = try? await transport.listeningAddress
            outcome.state.withLock { $0.port = address?.ipv4?.port ?? address?.ipv6?.port }
            outcome.bound.signal()
        }
        outcome.bound.wait()
        let (port, failure) = outcome.state.withLock { ($0.port, $0.failure) }
        if let failure { throw failure }
        guard let port else { throw RPCError(code: .unavailable, message: "the gRPC listener did not start") }
        return port
    }

    /// Drains: GOAWAY to every connection and no new ones (calls racing it are answered
    /// UNAVAILABLE), the calls in flight finish; at `timeout` their kernels are cancelled.
    /// True when every call finished in time.
    public func drain(timeout: Double) -> Bool {
        service.draining.store(true, ordering: .relaxed)
        server.beginGracefulShutdown()
        if finished.wait(timeout: .now() + max(0, timeout)) == .success { return true }
        service.cancelAll()
        if finished.wait(timeout: .now() + 2) == .success { return false }
        task.withLock { $0?.cancel() }
        _ = finished.wait(timeout: .now() + 2)
        return false
    }
}

/// How the start went: the bound port, or why the listener stopped.
private final class StartOutcome: Sendable {
    let state = Mutex<(port: Int?, failure: (any Error)?)>((nil, nil))
    let bound = DispatchSemaphore(value: 0)
}
