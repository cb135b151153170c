import PoolCore
import TensorJSON

/// An inference request as its JSON header and the binary data after it describe it
/// (`$inference_request` of the Open Inference Protocol with Triton's binary tensor data
/// extension). Tensor values are not read here: each input knows where its values are.
public struct InferenceRequest {
    /// One input tensor.
    struct Input: Sendable {
        let name: String
        let shape: [Int]
        let datatype: TensorDataType
        /// Its JSON `data` (flat or nested), when it is not binary.
        let data: JSONValue?
        /// Its `binary_data_size`, when it is binary.
        let binarySize: Int?
        /// Where its bytes lie in the body, when it is binary (set by the framing).
        var binary: Range<Int>?
    }

    /// One requested output.
    struct Output {
        let name: String
        /// Its `binary_data` parameter, when given.
        let binary: Bool?
    }

    /// The parsed header (the `data` values point into it).
    let document: JSONDocument
    /// The request's `id`, echoed in the response.
    let id: String?
    /// The request's `parameters` other than the protocol's own.
    let parameters: [(key: String, value: JSONValue)]
    /// `binary_data_output`: the default of every output's `binary_data`.
    let binaryOutput: Bool
    var inputs: [Input]
    /// The outputs asked for (nil: all that apply).
    let outputs: [Output]?

    /// Request parameters that belong to the protocol, Triton's scheduling or KServe's codecs
    /// rather than to the layer; they are accepted and do not change the computation.
    static let protocolParameters: Set<String> = [
        "binary_data_output", "sequence_id", "sequence_start", "sequence_end", "priority", "timeout", "content_type", "headers",
    ]

    /// What the header may hold: JSON as Triton reads it, with the bare `NaN`, `Infinity` and
    /// `-Infinity` that `tritonclient` writes for non-finite data.
    public static let parseLimits: JSONParseLimits = {
        var limits = JSONParseLimits.standard
        limits.nonFiniteLiterals = true
        return limits
    }()

    /// Reads the request in `body`: the JSON header (the whole body unless `headerLength`, the
    /// `Inference-Header-Content-Length` value, says where it ends), then the inputs' binary
    /// data, which must add up to the rest of the body exactly.
    static func parse(_ body: [UInt8], headerLength: String?) throws(InferenceError) -> InferenceRequest {
        var headerEnd = body.count
        if let headerLength {
            // A byte count: digits only (Swift's `Int` would also take a sign), around them the
            // optional whitespace of any field value.
            let text = headerLength.trimmingCharacters(in: " \t")
            guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), let n = Int(text) else {
                throw .badRequest("Inference-Header-Content-Length must be a byte count, got \(quoted(text))")
            }
            guard n <= body.count else {
                throw .badRequest("Inference-Header-Content-Length is \(n) but the body has only \(body.count) bytes")
            }
            headerEnd = n
        }
        let document: JSONDocument
        do {
            document = try JSONParser.parse(headerEnd == body.count ? body : Array(body[0..<headerEnd]), limits: Self.parseLimits)
        } catch {
            throw .badRequest("the inference request is not valid JSON: \(error.message) at byte \(error.offset)")
        }
        var request = try HeaderReader(document: document).request()
        try request.frame(bodyCount: body.count, headerEnd: headerEnd, headerLengthGiven: headerLength != nil)
        return request
    }

    /// Assigns each binary input its bytes, in input order, after the header.
    private mutating func frame(bodyCount: Int, headerEnd: Int, headerLengthGiven: Bool) throws(InferenceError) {
        var offset = headerEnd
        for k in inputs.indices {
            guard let size = inputs[k].binarySize else { continue }
            guard headerLengthGiven else {
                throw .badRequest("input \(quoted(inputs[k].name)) has binary_data_size but the request has no Inference-Header-Content-Length header to say where the JSON ends")
            }
            guard size <= bodyCount - offset else {
                throw .badRequest("input \(quoted(inputs[k].name)) has binary_data_size \(size) but only \(bodyCount - offset) bytes of binary data are left after the inference header and the inputs before it")
            }
            inputs[k].binary = offset..<(offset + size)
            offset += size
        }
        guard offset == bodyCount else {
            throw .badRequest("the body has \(bodyCount - headerEnd) bytes after the inference header but the inputs' binary_data_size add up to \(offset - headerEnd)")
        }
    }
}

extension String {
    /// The string without leading and trailing characters of `set`.
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let c = s.first, set.contains(c) { s.removeFirst() }
        while let c = s.last, set.contains(c) { s.removeLast() }
        return String(s)
    }
}
