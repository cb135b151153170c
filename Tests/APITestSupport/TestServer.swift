import MicroHTTP
import PoolAPI
import PoolCore
import TensorJSON

/// A real poolserve server on a free port, for tests that speak HTTP.
public final class TestServer {
    public let server: Server
    public let service: PoolService
    public var port: Int { server.port }

    public init(limits: Limits = Limits(), maxBodyBytes: Int = 64 << 20) throws {
        service = PoolService(limits: limits)
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.maxBodyBytes = maxBodyBytes
        server = try Server(configuration: configuration, router: service.router())
    }

    deinit { server.stop() }
}
