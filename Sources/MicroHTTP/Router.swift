/// A request handler. It runs on one of the server's worker threads and must be thread-safe.
public typealias Handler = @Sendable (Request) -> Response

/// Writes an error the HTTP layer answers itself (404, 405, 413, ...): status, detail and extra
/// header fields in, a response out. The default writes RFC 9457 problem+json.
public typealias ErrorWriter = @Sendable (_ status: Int, _ detail: String, _ headers: [(name: String, value: String)]) -> Response

/// Routes requests by exact path and method, then by path prefix; answers 404 and 405 (with
/// `Allow`) itself.
///
/// A router is built once and then only read, so it is safe to share between threads.
public struct Router: Sendable {
    private var routes: [String: [HTTPMethod: Handler]] = [:]
    /// Handlers of every path under a prefix that has no exact route, longest prefix first.
    private var prefixes: [(prefix: String, handler: Handler)] = []
    /// How errors are written for paths under a prefix, longest prefix first.
    private var errorWriters: [(prefix: String, writer: ErrorWriter)] = []

    public init() {}

    /// Adds `handler` for `method` on `path`; a later call for the same pair replaces it.
    public mutating func add(_ method: HTTPMethod, _ path: String, _ handler: @escaping Handler) {
        routes[path, default: [:]][method] = handler
    }

    /// Adds `handler` for every method on every path that starts with `prefix` and has no exact
    /// route (the handler does its own 404 and 405).
    public mutating func addPrefix(_ prefix: String, _ handler: @escaping Handler) {
        prefixes.append((prefix, handler))
        prefixes.sort { $0.prefix.utf8.count > $1.prefix.utf8.count }
    }

    /// Writes the errors this layer answers itself (404, 405, and the server's 400 and 413) with
    /// `writer` for paths that start with `prefix`, for protocols whose clients expect another
    /// error body than problem+json.
    public mutating func setErrorWriter(forPrefix prefix: String, _ writer: @escaping ErrorWriter) {
        errorWriters.append((prefix, writer))
        errorWriters.sort { $0.prefix.utf8.count > $1.prefix.utf8.count }
    }

    /// The methods that `path` accepts, sorted, or an empty list for an unknown path (prefix
    /// routes included: their methods are the handler's business).
    public func allowedMethods(for path: String) -> [HTTPMethod] {
        (routes[path].map { Array($0.keys) } ?? []).sorted { $0.rawValue < $1.rawValue }
    }

    /// The response to `request`: its handler's, or a 404 / 405 error.
    public func respond(to request: Request) -> Response {
        guard let byMethod = routes[request.path] else {
            if let route = prefixes.first(where: { request.path.hasPrefix($0.prefix) }) { return route.handler(request) }
            return error(404, type: ProblemType.notFound, title: "Not found", detail: "no resource at \(request.path)", path: request.path)
        }
        guard let handler = byMethod[request.method] else {
            let allow = allowedMethods(for: request.path).map(\.rawValue).joined(separator: ", ")
            return error(405, type: ProblemType.methodNotAllowed, title: "Method not allowed",
                         detail: "\(request.method) is not allowed on \(request.path); allowed: \(allow)", path: request.path,
                         headers: [("Allow", allow)])
        }
        return handler(request)
    }

    /// An error this layer answers itself for `path`: problem+json with `type` and `title`, or
    /// what the path's error writer makes of the status and detail.
    public func error(_ status: Int, type: String, title: String, detail: String, path: String,
                      headers: [(name: String, value: String)] = []) -> Response {
        if let custom = errorWriters.first(where: { path.hasPrefix($0.prefix) }) { return custom.writer(status, detail, headers) }
        return .problem(status: status, type: type, title: title, detail: detail, extraHeaders: headers)
    }
}

/// The problem `type` URIs of the errors this layer answers itself.
public enum ProblemType {
    public static let base = "https://poolserve.dev/problems/"
    public static let notFound = base + "not-found"
    public static let methodNotAllowed = base + "method-not-allowed"
    public static let payloadTooLarge = base + "payload-too-large"
}
