/// A request handler. It runs on one of the server's worker threads and must be thread-safe.
public typealias Handler = @Sendable (Request) -> Response

/// Routes requests by exact path and method; answers 404 and 405 (with `Allow`) itself.
///
/// A router is built once and then only read, so it is safe to share between threads.
public struct Router: Sendable {
    private var routes: [String: [HTTPMethod: Handler]] = [:]

    public init() {}

    /// Adds `handler` for `method` on `path`; a later call for the same pair replaces it.
    public mutating func add(_ method: HTTPMethod, _ path: String, _ handler: @escaping Handler) {
        routes[path, default: [:]][method] = handler
    }

    /// The methods that `path` accepts, sorted, or an empty list for an unknown path.
    public func allowedMethods(for path: String) -> [HTTPMethod] {
        (routes[path].map { Array($0.keys) } ?? []).sorted { $0.rawValue < $1.rawValue }
    }

    /// The response to `request`: its handler's, or a 404 / 405 problem.
    public func respond(to request: Request) -> Response {
        guard let byMethod = routes[request.path] else {
            return .problem(status: 404, type: ProblemType.notFound, title: "Not found",
                            detail: "no resource at \(request.path)")
        }
        guard let handler = byMethod[request.method] else {
            let allow = allowedMethods(for: request.path).map(\.rawValue).joined(separator: ", ")
            return .problem(status: 405, type: ProblemType.methodNotAllowed, title: "Method not allowed",
                            detail: "\(request.method) is not allowed on \(request.path); allowed: \(allow)",
                            extraHeaders: [("Allow", allow)])
        }
        return handler(request)
    }
}

/// The problem `type` URIs of the errors this layer answers itself.
public enum ProblemType {
    public static let base = "https://poolserve.dev/problems/"
    public static let notFound = base + "not-found"
    public static let methodNotAllowed = base + "method-not-allowed"
    public static let payloadTooLarge = base + "payload-too-large"
}
