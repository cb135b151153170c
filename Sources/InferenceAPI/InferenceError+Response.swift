import InferenceProtocol
import MicroHTTP

extension InferenceError {
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
}
