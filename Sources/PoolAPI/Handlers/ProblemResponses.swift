import MicroHTTP
import PoolCore
import TensorJSON

/// The problem+json answers of the pooling API (RFC 9457), written by MicroHTTP's one
/// problem writer (``ProblemDetails``).
enum ProblemResponses {
    /// The service's words for the errors the HTTP layer answers itself.
    static let vocabulary: ServerVocabulary = {
        var words = ServerVocabulary(
            problemTypeBase: ServiceNames.problemTypeBase, maxBodyBytes: ServiceNames.Flag.maxBodyBytes,
            maxInflightBytes: ServiceNames.Flag.maxInflightBytes, maxQueuedRequests: ServiceNames.Flag.maxQueuedRequests,
            drainTimeout: ServiceNames.Flag.drainTimeout)
        words.queueTimeout = ServiceNames.Flag.queueTimeout
        words.headerTimeout = ServiceNames.Flag.headerTimeout
        words.maxWireBytes = ServiceNames.Flag.maxWireBytes
        words.maxCompressionRatio = ServiceNames.Flag.maxCompressionRatio
        words.bodyTimeout = ServiceNames.Flag.bodyTimeout
        words.minBodyRate = ServiceNames.Flag.minBodyRate
        return words
    }()
    static let validationType = vocabulary.problemType("validation")
    static let tooLargeType = vocabulary.problemType(ProblemType.payloadTooLarge)
    static let malformedType = vocabulary.problemType("malformed-json")
    static let mediaType = vocabulary.problemType("unsupported-media-type")

    /// 422 for contract violations, or 413 when any problem is a size limit; every problem listed.
    static func problems(_ list: ProblemList) -> Response {
        var detail = list.count == 1 ? "1 problem" : "\(list.count) problems"
        if list.dropped > 0 { detail += " (the first \(list.problems.count) listed)" }
        if list.count == 1, let only = list.problems.first { detail += ": \(only.pointer.isEmpty ? "body" : only.pointer) \(only.detail)" }
        return ProblemDetails(status: list.tooLarge ? 413 : 422, type: list.tooLarge ? tooLargeType : validationType,
                              title: list.tooLarge ? "Request too large" : "Invalid pooling request", detail: detail,
                              errors: list.problems.map { ProblemDetails.FieldError(pointer: $0.pointer, detail: $0.detail) }).response
    }

    /// 400 for a body that is not JSON, with the byte offset.
    static func malformed(_ error: JSONSyntaxError) -> Response {
        ProblemDetails(status: 400, type: malformedType, title: "Malformed JSON",
                       detail: "the body is not valid JSON: \(error.message) at byte \(error.offset)",
                       members: [("offset", .integer(error.offset))]).response
    }

    /// 415 for a body that is not declared `application/json`.
    static func unsupportedMediaType(_ got: String?) -> Response {
        .problem(status: 415, type: mediaType, title: "Unsupported media type",
                 detail: "Content-Type must be application/json, got \(got.map { "\"\($0)\"" } ?? "none")")
    }
}
