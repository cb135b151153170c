import CoreMetrics
import MicroHTTP
import Pooling
import Synchronization

/// The pooling API: routes, and the handlers that map HTTP to ``Pooling``.
///
/// A service is immutable apart from its readiness flag and safe to share between threads.
public final class PoolService: Sendable {
    /// The size limits requests are held to.
    public let limits: Limits
    private let ready = Atomic<Bool>(true)

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Whether `/readyz` reports the service as accepting work.
    public var isReady: Bool {
        get { ready.load(ordering: .relaxed) }
        set { ready.store(newValue, ordering: .relaxed) }
    }

    /// Marks the service as shutting down: `/readyz` answers 503 from now on.
    public func drain() { ready.store(false, ordering: .relaxed) }

    /// The routes of the API.
    public func router() -> Router {
        var router = Router()
        router.add(.post, "/pool/forward", .compute) { [self] in forward($0) }
        router.add(.post, "/pool/backward", .compute) { [self] in backward($0) }
        router.add(.get, "/healthz") { _ in Self.json(200, "{\"status\":\"ok\"}") }
        router.add(.get, "/readyz") { [self] _ in
            isReady ? Self.json(200, "{\"status\":\"ready\"}") : Self.json(503, "{\"status\":\"shutting down\"}")
        }
        router.add(.get, "/openapi.yaml") { _ in
            Response(status: 200, contentType: "application/yaml", body: PackageResources.openapi_yaml)
        }
        return router
    }

    /// Counts tensor elements read and written by the pooling endpoints (swift-metrics; a no-op
    /// until the executable bootstraps a backend).
    static func countElements(_ endpoint: String, _ n: Int) {
        Counter(label: "poolserve_tensor_elements_total", dimensions: [("endpoint", endpoint)]).increment(by: n)
    }

    static func json(_ status: Int, _ text: String) -> Response {
        Response(status: status, contentType: "application/json", body: Array(text.utf8))
    }

    /// Checks the media type and parses the body into a JSON object, or gives the error response.
    func parse(_ request: Request) -> Result<(JSONDocument, JSONObject), ErrorResponse> {
        guard request.mediaType == "application/json" else {
            return .failure(ErrorResponse(ProblemResponses.unsupportedMediaType(request.header("content-type"))))
        }
        let document: JSONDocument
        do {
            document = try JSONParser.parse(request.body)
        } catch {
            return .failure(ErrorResponse(ProblemResponses.malformed(error)))
        }
        guard case .object(let object) = document.root else {
            var problems = ProblemList()
            problems.add(.root, "the request body must be a JSON object, got \(document.root.typeName)")
            return .failure(ErrorResponse(ProblemResponses.problems(problems)))
        }
        return .success((document, object))
    }
}

extension PoolService {
    /// The request's envelope: the body parsed, unknown fields recorded, the parameters read
    /// (type problems recorded), and a reader for the tensors.
    func envelope(_ request: Request, allowed: Set<String>) -> Result<(PoolParameters, FieldReader, ProblemList), ErrorResponse> {
        parse(request).map { document, object in
            var problems = ProblemList()
            let reader = FieldReader(object: object, document: document, base: .root)
            reader.rejectUnknown(allowed, problems: &problems)
            return (PoolParameters(reading: reader, problems: &problems), reader, problems)
        }
    }
}

/// A response carried as an error.
struct ErrorResponse: Error {
    let response: Response
    init(_ response: Response) { self.response = response }
}
