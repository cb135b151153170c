import Foundation
import MicroHTTP
import PoolAPI
import PoolCore
import TensorJSON

/// Calls a service's router in process, as the server would.
public struct ServiceCaller {
    public let router: Router

    public init(_ service: PoolService = PoolService()) { router = service.router() }

    /// A POST with a JSON body.
    public func post(_ path: String, _ body: [UInt8], contentType: String? = "application/json") -> Response {
        router.respond(to: Request(method: .post, path: path, headers: contentType.map { ["content-type": $0] } ?? [:], body: body))
    }

    public func post(_ path: String, _ text: String, contentType: String? = "application/json") -> Response {
        post(path, Array(text.utf8), contentType: contentType)
    }

    /// The problem document of an error response.
    public static func problem(_ r: Response) -> ProblemDocument? {
        try? JSONDecoder().decode(ProblemDocument.self, from: Data(r.body))
    }
}
