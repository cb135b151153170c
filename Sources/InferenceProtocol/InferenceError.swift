
/// An error answer of the inference protocol: a status and the `{"error": "..."}` body that
/// Triton's and KServe's clients read.
public struct InferenceError: Error, Sendable, Equatable {
    /// The HTTP status: 400 for a request that breaks the protocol, 404 for an unknown model,
    /// 405 for a wrong method, 413 for size limits, 415 for a media type.
    public let status: Int
    /// The message, as `error` says it.
    public let message: String
    /// Extra header fields of the HTTP answer (`Allow` for 405).
    public var headers: [(name: String, value: String)] = []

    /// An error with `status`, `message` and extra header fields.
    public init(status: Int, _ message: String, headers: [(name: String, value: String)] = []) {
        self.status = status
        self.message = message
        self.headers = headers
    }

    /// 400: the request breaks the protocol or the layer's rules.
    package static func badRequest(_ message: String) -> InferenceError { InferenceError(status: 400, message) }

    /// Errors are equal when their status and message are (headers aside).
    public static func == (a: InferenceError, b: InferenceError) -> Bool { a.status == b.status && a.message == b.message }
}

/// A client-given name or value for a message: quoted, cut to 64 characters.
package func quoted(_ s: String) -> String {
    "'" + (s.count <= 64 ? s : String(s.prefix(61)) + "…") + "'"
}
