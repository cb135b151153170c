import MicroHTTP
import TensorJSON

/// The problem+json answers of the pooling API (RFC 9457).
enum ProblemResponses {
    static let validationType = ProblemType.base + "validation"
    static let tooLargeType = ProblemType.payloadTooLarge
    static let malformedType = ProblemType.base + "malformed-json"
    static let mediaType = ProblemType.base + "unsupported-media-type"

    /// 422 for contract violations, or 413 when any problem is a size limit; every problem listed.
    static func problems(_ list: ProblemList) -> Response {
        let status = list.tooLarge ? 413 : 422
        var w = JSONWriter()
        w.raw("{\"type\":")
        w.string(list.tooLarge ? tooLargeType : validationType)
        w.raw(",\"title\":")
        w.string(list.tooLarge ? "Request too large" : "Invalid pooling request")
        w.raw(",\"status\":")
        w.int(Int64(status))
        w.raw(",\"detail\":")
        var detail = list.count == 1 ? "1 problem" : "\(list.count) problems"
        if list.dropped > 0 { detail += " (the first \(list.problems.count) listed)" }
        if list.count == 1, let only = list.problems.first { detail += ": \(only.pointer.isEmpty ? "body" : only.pointer) \(only.detail)" }
        w.string(detail)
        w.raw(",\"errors\":[")
        for (k, problem) in list.problems.enumerated() {
            if k > 0 { w.byte(UInt8(ascii: ",")) }
            w.raw("{\"pointer\":")
            w.string(problem.pointer)
            w.raw(",\"detail\":")
            w.string(problem.detail)
            w.raw("}")
        }
        w.raw("]}")
        return Response(status: status, contentType: "application/problem+json", body: w.bytes)
    }

    /// 400 for a body that is not JSON, with the byte offset.
    static func malformed(_ error: JSONSyntaxError) -> Response {
        var w = JSONWriter()
        w.raw("{\"type\":")
        w.string(malformedType)
        w.raw(",\"title\":\"Malformed JSON\",\"status\":400,\"detail\":")
        w.string("the body is not valid JSON: \(error.message) at byte \(error.offset)")
        w.raw(",\"offset\":")
        w.int(Int64(error.offset))
        w.raw("}")
        return Response(status: 400, contentType: "application/problem+json", body: w.bytes)
    }

    /// 415 for a body that is not declared `application/json`.
    static func unsupportedMediaType(_ got: String?) -> Response {
        .problem(status: 415, type: mediaType, title: "Unsupported media type",
                 detail: "Content-Type must be application/json, got \(got.map { "\"\($0)\"" } ?? "none")")
    }
}
