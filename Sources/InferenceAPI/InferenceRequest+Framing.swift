import InferenceProtocol
import TensorJSON

/// The REST form of a request: its JSON header and the binary data after it.
extension InferenceRequest {
    /// Reads the request in `body`: the JSON header (the whole body unless `headerLength`, the
    /// `Inference-Header-Content-Length` value, says where it ends), then the inputs' binary
    /// data, which must add up to the rest of the body exactly.
    package static func parse(_ body: [UInt8], headerLength: String?) throws(InferenceError) -> InferenceRequest {
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
