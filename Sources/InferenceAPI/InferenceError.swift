import MicroHTTP

/// An error answer of the inference protocol: a status and the `{"error": "..."}` body that
/// Triton's and KServe's clients read.
public struct InferenceError: Error, Sendable, Equatable {
    /// The HTTP status: 400 for a request that breaks the protocol, 404 for an unknown model,
    /// 405 for a wrong method, 413 for size limits, 415 for a media type.
    public let status: Int
    /// The message, as `error` says it.
    public let message: String
    /// Extra header fields (`Allow` for 405).
    public var headers: [(name: String, value: String)] = []

    /// An error with `status`, `message` and extra header fields.
    public init(status: Int, _ message: String, headers: [(name: String, value: String)] = []) {
        self.status = status
        self.message = message
        self.headers = headers
    }

    /// 400: the request breaks the protocol or the layer's rules.
    static func badRequest(_ message: String) -> InferenceError { InferenceError(status: 400, message) }

    /// The response that carries the error.
    public var response: Response {
        Self.response(status: status, message: message, headers: headers)
    }

    /// `{"error": message}` with `status` and `headers`: the body every error of the v2 routes
    /// has, including those the HTTP layer answers itself.
    public static func response(status: Int, message: String, headers: [(name: String, value: String)] = []) -> Response {
        Response(status: status, headers: [("Content-Type", "application/json")] + headers,
                 body: Array(("{\"error\":" + Response.jsonQuoted(message) + "}").utf8))
    }

    /// Errors are equal when their status and message are (headers aside).
    public static func == (a: InferenceError, b: InferenceError) -> Bool { a.status == b.status && a.message == b.message }
}

/// A client-given name or value for a message: quoted, cut to 64 characters.
func quoted(_ s: String) -> String {
    "'" + (s.count <= 64 ? s : String(s.prefix(61)) + "…") + "'"
}
