/// A request handler. It runs on one of the server's threads and must be thread-safe.
public typealias Handler = @Sendable (Request) -> Response

/// Where a route's handler runs.
public enum RouteKind: Sendable, Equatable {
    /// On the I/O thread that read the request: for quick answers (probes, metrics).
    case inline
    /// On the server's bounded compute pool, the I/O thread meanwhile serving other
    /// connections: for work that takes long. Requests past the pool's queue are shed (503).
    case compute
}

/// One method on one path.
public struct Route: Sendable {
    /// The path, as it must be sent.
    public let path: String
    /// The method.
    public let method: HTTPMethod
    /// Where the handler runs.
    public let kind: RouteKind
    /// The handler.
    public let handler: Handler
}

/// What a ``Router`` finds for a method and path.
public enum RouteMatch: Sendable {
    /// The route that answers (for HEAD: the GET route).
    case route(Route)
    /// No route at the path.
    case notFound
    /// The path exists but not with this method; the methods it allows.
    case methodNotAllowed([HTTPMethod])
}
