import MicroHTTP
import PoolCore
import Synchronization
import TensorJSON

/// The pooling API: routes, and the handlers that map HTTP to ``Pooling``.
///
/// A service is immutable apart from its readiness flag and safe to share between threads.
public final class PoolService: Sendable {
    /// The size limits requests are held to.
    public var limits: Limits { executor.limits }
    /// The one way to the kernels.
    let executor: PoolExecutor
    private let ready = Atomic<Bool>(true)

    public init(limits: Limits = Limits()) {
        executor = PoolExecutor(limits: limits)
    }

    /// Whether `/readyz` reports the service as accepting work.
    public var isReady: Bool {
        get { ready.load(ordering: .relaxed) }
        set { ready.store(newValue, ordering: .relaxed) }
    }

    /// Marks the service as shutting down: `/readyz` answers 503 from now on.
    public func drain() { ready.store(false, ordering: .relaxed) }

    /// The routes of the API, with the service's words for the errors the HTTP layer answers
    /// itself (the other front ends add their routes to this router).
    public func router() -> Router {
        var router = Router()
        router.vocabulary = ProblemResponses.vocabulary
        router.add(.post, "/pool/forward", .compute) { [self] in forward($0) }
        router.add(.post, "/pool/backward", .compute) { [self] in backward($0) }
        router.add(.post, "/pool/compare", .compute) { [self] in compare($0) }
        router.add(.get, "/healthz") { _ in Self.json(200, "{\"status\":\"ok\"}") }
        router.add(.get, "/readyz") { [self] _ in
            isReady ? Self.json(200, "{\"status\":\"ready\"}") : Self.json(503, "{\"status\":\"shutting down\"}")
        }
        router.add(.get, "/openapi.yaml") { _ in
            Response(status: 200, contentType: "application/yaml", body: PackageResources.openapi_yaml)
        }
        addPlaygroundRoutes(to: &router)
        return router
    }

    static func json(_ status: Int, _ text: String) -> Response {
        Response(status: status, contentType: "application/json", body: Array(text.utf8))
    }

    /// What a request body may hold, checked as it is parsed: a tensor has at most 10 dimensions
    /// (nested inside a request object and a tensor object: 12 levels; 16 leaves room), lists of
    /// parameters and shapes at most 10 values, and only tensor data is long.
    static let parseLimits = JSONParseLimits(maxDepth: 16, maxShortItems: 10,
                                             longMembers: ["input", "gradOutput", "indices", "data", "samples", "boundaries"])

    /// Checks the media type, parses the body and decodes it as `T`; the model and the problems
    /// decoding found, or the error response when the body is not JSON at all.
    func decode<T: Decodable>(_: T.Type, _ request: Request) throws(ErrorResponse) -> (T?, ProblemList) {
        guard request.mediaType == "application/json" else {
            throw ErrorResponse(ProblemResponses.unsupportedMediaType(request.header("content-type")))
        }
        let document: JSONDocument
        do {
            document = try JSONParser.parse(request.body, limits: Self.parseLimits)
        } catch where error.isLimit {
            var problems = ProblemList()
            problems.add(error.pointer, "\(error.message) (at byte \(error.offset))")
            throw ErrorResponse(ProblemResponses.problems(problems))
        } catch {
            throw ErrorResponse(ProblemResponses.malformed(error))
        }
        let (model, problems) = JSONDocumentDecoder(maxElements: limits.maxElements).decode(T.self, from: document)
        return (model, problems)
    }
}

/// A response carried as an error.
struct ErrorResponse: Error {
    let response: Response
    init(_ response: Response) { self.response = response }
}

