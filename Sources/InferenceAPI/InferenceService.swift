@_exported import InferenceProtocol
import MicroHTTP
import PoolCore
import TensorJSON

/// The Open Inference Protocol v2 over HTTP (KServe v2 REST as Triton serves it, with Triton's
/// binary tensor data extension): the layer repository's pooling layers as models that
/// `tritonclient` and KServe clients call unchanged.
///
/// Every error is `{"error": "..."}` with Triton's statuses (400 for a request that breaks the
/// protocol or the layer's rules, 404 for an unknown model, version or path), 405 for a wrong
/// method and 413 for size limits; nothing a client sends gets a 5xx. A service is immutable
/// and safe to share between threads.
public final class InferenceService: Sendable {
    /// The server's name and version in `GET /v2`.
    public static let serverName = InferenceServer.name
    public static let serverVersion = InferenceServer.version
    /// The protocol extensions served, as `GET /v2` lists them.
    public static let extensions = ["binary_tensor_data"]

    /// The models.
    public let repository: LayerRepository
    /// The size limits (the native API's).
    public var limits: Limits { executor.limits }
    /// The one way to the kernels.
    let executor: PoolExecutor
    private let readiness: @Sendable () -> Bool

    /// - Parameter isReady: whether the server accepts work (the same readiness as `/readyz`).
    public init(repository: LayerRepository = .builtIn, limits: Limits = Limits(), isReady: @escaping @Sendable () -> Bool = { true }) {
        self.repository = repository
        executor = PoolExecutor(limits: limits)
        self.readiness = isReady
    }

    /// Adds the `/v2` routes to `router`, with `{"error"}` bodies for the errors the HTTP layer
    /// answers itself on them.
    public func register(in router: inout Router) {
        // Health, server and model metadata and readiness answer on the I/O threads, however
        // busy the compute pool is; only inference runs on the pool.
        for path in ["/v2", "/v2/health/live", "/v2/health/ready"] {
            router.add(.get, path) { [self] in respond(to: $0) }
        }
        router.addPrefix("/v2", kind: { method, path in
            if case .infer? = V2Route(path: path), method == .post { return .compute }
            return .inline
        }) { [self] in respond(to: $0) }
        router.setErrorWriter(forPrefix: "/v2") { status, detail, headers in
            InferenceError.response(status: status, message: detail, headers: headers)
        }
    }

    /// Bounded metrics labels for `path`: `route` (the route's template, or `unknown`) and, on a
    /// model's routes, `model` (a repository name, or `unknown`). Nil for paths outside `/v2`.
    public func metricLabels(path: String) -> [(String, String)]? {
        guard path == "/v2" || path.hasPrefix("/v2/") else { return nil }
        guard let route = V2Route(path: path) else { return [("route", "unknown")] }
        guard let model = route.model else { return [("route", route.template)] }
        let known = repository.layer(named: model.name) != nil && (model.version ?? LayerModel.version) == LayerModel.version
        return [("route", route.template), ("model", known ? model.name : "unknown")]
    }

    /// The answer to a request under `/v2`.
    func respond(to request: Request) -> Response {
        guard let route = V2Route(path: request.path) else {
            return InferenceError(status: 404, "no resource at \(request.path.prefix(200))").response
        }
        guard route.methods.contains(request.method) else {
            let allow = route.methods.map(\.rawValue).joined(separator: ", ")
            return InferenceError(status: 405, "\(request.method.rawValue.prefix(20)) is not allowed on \(request.path.prefix(200)); allowed: \(allow)",
                                  headers: [("Allow", allow)]).response
        }
        do {
            switch route {
            case .server: return serverMetadata()
            case .live: return Self.json(200, "{\"live\":true}")
            case .ready: return isReady ? Self.json(200, "{\"ready\":true}") : Self.json(503, "{\"ready\":false}")
            case .model(let name, let version): return modelMetadata(try layer(name, version))
            case .modelReady(let name, let version):
                let layer = try layer(name, version)
                return Self.json(isReady ? 200 : 503, "{\"name\":" + Response.jsonQuoted(layer.name) + ",\"ready\":\(isReady)}")
            case .infer(let name, let version): return try infer(request, layer: try layer(name, version))
            }
        } catch {
            return error.response
        }
    }

    /// Whether the server accepts work.
    var isReady: Bool { readiness() }

    /// The layer named `name` at `version` (none: the one version), or Triton's 404.
    func layer(_ name: String, _ version: String?) throws(InferenceError) -> LayerModel {
        guard let layer = repository.layer(named: name) else {
            throw InferenceError(status: 404, "Request for unknown model: \(quoted(name)) is not found")
        }
        if let version, version != LayerModel.version {
            throw InferenceError(status: 404, "Request for unknown model: \(quoted(name)) version \(quoted(version)) is not found (its one version is '\(LayerModel.version)')")
        }
        return layer
    }

    static func json(_ status: Int, _ text: String) -> Response {
        Response(status: status, contentType: "application/json", body: Array(text.utf8))
    }
}
