/// Writes an error the HTTP layer answers itself (404, 405, 400, 413, 503, …) for a protocol
/// whose clients read another error body than problem+json: status, detail and header fields
/// in, a response out.
public typealias ErrorWriter = @Sendable (_ status: Int, _ detail: String, _ headers: [(name: String, value: String)]) -> Response

/// Routes requests by exact path (as sent: no percent-decoding) and method, then by path prefix;
/// answers 404 and 405 (with `Allow`) itself. HEAD is answered wherever GET is.
///
/// A router is built once and then only read, so it is safe to share between threads.
public struct Router: Sendable {
    var routes: [String: [HTTPMethod: Route]] = [:]
    /// Handlers of every method on every path under a prefix that has no exact route, longest
    /// prefix first (the handler does its own 404 and 405).
    var prefixes: [Route] = []
    /// For a prefix whose requests run in different places: where each one runs.
    var prefixKinds: [String: @Sendable (HTTPMethod, String) -> RouteKind] = [:]
    /// How the errors this layer answers itself are written under a prefix, longest first.
    var errorWriters: [(prefix: String, writer: ErrorWriter)] = []
    /// The application's words for the errors this layer answers itself; handlers read it as
    /// ``Request/vocabulary``.
    public var vocabulary = ServerVocabulary()

    /// An empty router.
    public init() {}

    /// Adds `handler` for `method` on `path`, run as `kind` says; a later call for the same
    /// pair replaces it.
    public mutating func add(_ method: HTTPMethod, _ path: String, _ kind: RouteKind = .inline,
                             _ handler: @escaping Handler) {
        routes[path, default: [:]][method] = Route(path: path, method: method, kind: kind, handler: handler)
    }

    /// Adds `handler` for every method on every path that starts with `prefix` and has no exact
    /// route, run as `kind` says.
    public mutating func addPrefix(_ prefix: String, _ kind: RouteKind = .inline, _ handler: @escaping Handler) {
        prefixes.append(Route(path: prefix, method: HTTPMethod(rawValue: "*"), kind: kind, handler: handler))
        prefixes.sort { $0.path.utf8.count > $1.path.utf8.count }
    }

    /// Adds `handler` for every method on every path under `prefix` with no exact route, run
    /// where `kind` says for each request (cheap reads inline, work on the compute pool).
    public mutating func addPrefix(_ prefix: String, kind: @escaping @Sendable (HTTPMethod, String) -> RouteKind,
                                   _ handler: @escaping Handler) {
        addPrefix(prefix, .compute, handler)
        prefixKinds[prefix] = kind
    }

    /// Writes the errors this layer answers itself with `writer` for paths under `prefix`.
    public mutating func setErrorWriter(forPrefix prefix: String, _ writer: @escaping ErrorWriter) {
        errorWriters.append((prefix, writer))
        errorWriters.sort { $0.prefix.utf8.count > $1.prefix.utf8.count }
    }

    /// `problem` as the path's protocol writes it: its prefix's error writer, else problem+json.
    public func errorResponse(_ problem: ProblemDetails, path: String) -> Response {
        guard let custom = errorWriters.first(where: { path.hasPrefix($0.prefix) }) else { return problem.response }
        return custom.writer(problem.status, problem.detail, problem.headers)
    }

    /// The methods that `path` accepts (HEAD wherever GET), sorted, or an empty list for an
    /// unknown path.
    public func allowedMethods(for path: String) -> [HTTPMethod] {
        guard let byMethod = routes[path] else { return [] }
        var methods = Set(byMethod.keys)
        if methods.contains(.get) { methods.insert(.head) }
        return methods.sorted { $0.rawValue < $1.rawValue }
    }

    /// The route for `method` on `path`.
    public func match(_ method: HTTPMethod, path: String) -> RouteMatch {
        guard let byMethod = routes[path] else {
            if let route = prefixes.first(where: { path.hasPrefix($0.path) }) {
                guard let kind = prefixKinds[route.path] else { return .route(route) }
                return .route(Route(path: route.path, method: route.method, kind: kind(method, path), handler: route.handler))
            }
            return .notFound
        }
        if let route = byMethod[method] { return .route(route) }
        if method == .head, let route = byMethod[.get] { return .route(route) }
        return .methodNotAllowed(allowedMethods(for: path))
    }

    /// The response to `request` in process, as the server would give it (the body of a HEAD
    /// answer is left in place; the server does not send it).
    public func respond(to request: Request) -> Response {
        var request = request
        request.vocabulary = vocabulary
        switch match(request.method, path: request.path) {
        case .route(let route): return route.handler(request)
        case .notFound: return errorResponse(notFound(request.path), path: request.path)
        case .methodNotAllowed(let allowed): return errorResponse(methodNotAllowed(request.method, request.path, allowed), path: request.path)
        }
    }

    /// 404 for `path`.
    func notFound(_ path: String) -> ProblemDetails {
        ProblemDetails(vocabulary, status: 404, slug: ProblemType.notFound, title: "Not found",
                       detail: "no resource at \(ProblemDetails.echo(path))")
    }

    /// 405 for `method` on `path`, with `Allow`.
    func methodNotAllowed(_ method: HTTPMethod, _ path: String, _ allowed: [HTTPMethod]) -> ProblemDetails {
        let allow = allowed.map(\.rawValue).joined(separator: ", ")
        return ProblemDetails(vocabulary, status: 405, slug: ProblemType.methodNotAllowed, title: "Method not allowed",
                              detail: "\(ProblemDetails.echo(method.rawValue)) is not allowed on \(ProblemDetails.echo(path)); allowed: \(allow)",
                              headers: [("Allow", allow)])
    }
}

extension Router {
    /// Whether any route runs on the compute pool.
    var hasComputeRoutes: Bool {
        routes.values.contains { $0.values.contains { $0.kind == .compute } } || prefixes.contains { $0.kind == .compute }
    }
}

extension Router {
    /// A router with only the routes at `paths` (e.g. the probes, for an admin listener).
    public func restricted(to paths: Set<String>) -> Router {
        var router = Router()
        router.routes = routes.filter { paths.contains($0.key) }
        router.errorWriters = errorWriters
        router.vocabulary = vocabulary
        return router
    }
}
