/// The slugs of the problem types of the errors this layer answers itself; the URI is the
/// application's base and the slug (``ServerVocabulary/problemType(_:)``).
public enum ProblemType {
    /// 404: no route at the path.
    public static let notFound = "not-found"
    /// 405: the path exists, the method does not.
    public static let methodNotAllowed = "method-not-allowed"
    /// 413: a body past the body limit.
    public static let payloadTooLarge = "payload-too-large"
    /// 400: malformed HTTP (a control character in the path, no `Host`, a bad `Content-Length`).
    public static let badRequest = "bad-request"
    /// 415: a `Content-Encoding` the server cannot decode.
    public static let unsupportedEncoding = "unsupported-content-encoding"
    /// 400: a gzip or deflate body that does not decode.
    public static let badEncoding = "bad-content-encoding"
    /// 501: a `Transfer-Encoding` other than `chunked`.
    public static let notImplemented = "not-implemented"
    /// 503: the server is out of room (memory budget, compute queue) or shutting down.
    public static let unavailable = "unavailable"
    /// 408: the request head did not arrive in time.
    public static let timeout = "request-timeout"
    /// 414 / 431: a request target or head too long.
    public static let headTooLarge = "head-too-large"
}
