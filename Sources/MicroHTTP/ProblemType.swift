/// The problem `type` URIs of the errors this layer answers itself.
public enum ProblemType {
    /// The prefix of every problem type of the service.
    public static let base = "https://poolserve.dev/problems/"
    /// 404: no route at the path.
    public static let notFound = base + "not-found"
    /// 405: the path exists, the method does not.
    public static let methodNotAllowed = base + "method-not-allowed"
    /// 413: a body past `--max-body-bytes`.
    public static let payloadTooLarge = base + "payload-too-large"
    /// 400: malformed HTTP (a control character in the path, no `Host`, a bad `Content-Length`).
    public static let badRequest = base + "bad-request"
    /// 415: a `Content-Encoding` the server cannot decode.
    public static let unsupportedEncoding = base + "unsupported-content-encoding"
    /// 400: a gzip or deflate body that does not decode.
    public static let badEncoding = base + "bad-content-encoding"
    /// 501: a `Transfer-Encoding` other than `chunked`.
    public static let notImplemented = base + "not-implemented"
    /// 503: the server is out of room (memory budget, compute queue) or shutting down.
    public static let unavailable = base + "unavailable"
    /// 408: the request head did not arrive in time.
    public static let timeout = base + "request-timeout"
    /// 414 / 431: a request target or head too long.
    public static let headTooLarge = base + "head-too-large"
}
