import FoundationEssentials  // Data; not Foundation, which would load ICU (about 30 MiB) for nothing
import InferenceProtocol
import PoolCore
import TensorJSON

/// A `ModelInferRequest` as the protocol's transport-independent request: each input's values
/// become one byte range of a body (raw contents as sent, typed contents written as
/// little-endian elements of the input's datatype), and the parameters a small JSON document,
/// so that the plan, the limits and the messages are the ones REST has.
struct GRPCInferRequest {
    let request: InferenceRequest
    /// Every input's bytes, one after another.
    let body: [UInt8]

    /// Request parameters that belong to the transport rather than to the layer.
    static let ignoredParameters: Set<String> = InferenceRequest.protocolParameters

    init(_ message: Inference_ModelInferRequest, maxElements: Int) throws(InferenceError) {
        guard !message.inputs.isEmpty else { throw .badRequest("\"inputs\" must be a non-empty array") }
        let raw = message.rawInputContents
        if !raw.isEmpty && raw.count != message.inputs.count {
            throw .badRequest("the request has \(message.inputs.count) inputs but \(raw.count) raw_input_contents; give one for each input, in input order")
        }
        // Parameters: a JSON object with the request's own (not the protocol's), each value as
        // the scalar the protocol's JSON form writes.
        var binaryOutput = true
        var text = "{"
        for key in message.parameters.keys.sorted() {
            let value = message.parameters[key]!
            if key == "binary_data_output" {
                guard case .boolParam(let b)? = value.parameterChoice else { throw .badRequest("request parameter 'binary_data_output' must be true or false") }
                binaryOutput = b
                continue
            }
            if Self.ignoredParameters.contains(key) || key.hasPrefix("triton_") { continue }
            guard let scalar = Self.json(value) else {
                throw .badRequest("request parameter \(quoted(key)) has no value (set one of bool_param, int64_param, string_param, double_param, uint64_param)")
            }
            if text.count > 1 { text += "," }
            text += Self.jsonString(key) + ":" + scalar
        }
        text += "}"
        let document: JSONDocument
        do {
            document = try JSONParser.parse(Array(text.utf8), limits: InferenceRequest.parseLimits)
        } catch {
            throw .badRequest("the request parameters cannot be read: \(error.message)")
        }
        var parameters: [(key: String, value: JSONValue)] = []
        if case .object(let o) = document.root { parameters = o.members.map { ($0.key, $0.value) } }

        var body: [UInt8] = []
        body.reserveCapacity(raw.reduce(0) { $0 + $1.count })
        var inputs: [InferenceRequest.Input] = []
        for (k, tensor) in message.inputs.enumerated() {
            let label = "input \(quoted(tensor.name))"
            guard !tensor.name.isEmpty else { throw .badRequest("inputs[\(k)] needs a \"name\" (a string)") }
            guard let datatype = TensorDataType(rawValue: tensor.datatype) else {
                throw .badRequest("\(label) has unknown datatype \(quoted(tensor.datatype)); the protocol's are \(TensorDataType.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard (1...TensorShape.maxRank).contains(tensor.shape.count) else {
                throw .badRequest("\(label): \"shape\" must be an array of 1 to \(TensorShape.maxRank) integers")
            }
            guard tensor.shape.allSatisfy({ $0 >= 0 && $0 <= Int64(Int.max) }) else { throw .badRequest("\(label): \"shape\" must hold integers ≥ 0") }
            let shape = tensor.shape.map { Int($0) }
            for key in tensor.parameters.keys where key.hasPrefix("shared_memory_") {
                throw .badRequest("\(label): shared memory is not supported by this server; send the tensor as binary data or JSON")
            }
            let start = body.count
            if !raw.isEmpty {
                if tensor.hasContents && !Self.isEmpty(tensor.contents) {
                    throw .badRequest("\(label) has both contents and raw_input_contents")
                }
                body.append(contentsOf: raw[k])
            } else {
                guard tensor.hasContents else { throw .badRequest("\(label) has neither contents nor raw_input_contents") }
                let count = Self.count(tensor.contents, datatype)
                if let count, let needed = ElementCount.of(shape), needed <= maxElements, count != needed {
                    throw .badRequest("\(label): contents has \(count) values but shape \(shape) needs \(needed)")
                }
                guard Self.append(tensor.contents, as: datatype, to: &body) else {
                    throw .badRequest("\(label): datatype \(datatype.rawValue) has no typed contents in the protocol; send it in raw_input_contents")
                }
            }
            inputs.append(InferenceRequest.Input(name: tensor.name, shape: shape, datatype: datatype, data: nil,
                                                 binarySize: body.count - start, binary: start..<body.count))
        }
        var outputs: [InferenceRequest.Output]?
        if !message.outputs.isEmpty {
            outputs = try message.outputs.map { output throws(InferenceError) -> InferenceRequest.Output in
                let label = "output \(quoted(output.name))"
                var binary: Bool?
                for (key, value) in output.parameters {
                    switch key {
                    case "binary_data":
                        guard case .boolParam(let b)? = value.parameterChoice else { throw .badRequest("\(label): binary_data must be true or false") }
                        binary = b
                    case "classification":
                        if case .int64Param(0)? = value.parameterChoice { continue }
                        throw .badRequest("\(label): the classification extension is not supported by this server")
                    case let key where key.hasPrefix("shared_memory_"):
                        throw .badRequest("\(label): shared memory is not supported by this server")
                    default: continue
                    }
                }
                return InferenceRequest.Output(name: output.name, binary: binary)
            }
        }
        request = InferenceRequest(document: document, id: message.id.isEmpty ? nil : message.id, parameters: parameters,
                                   binaryOutput: binaryOutput, inputs: inputs, outputs: outputs)
        self.body = body
    }

    /// A parameter's value as JSON text (nil when none is set).
    static func json(_ p: Inference_InferParameter) -> String? {
        switch p.parameterChoice {
        case .boolParam(let b)?: return b ? "true" : "false"
        case .int64Param(let n)?: return String(n)
        case .uint64Param(let n)?: return String(n)
        case .doubleParam(let d)?: return d.isFinite ? "\(d)" : (d.isNaN ? "NaN" : d > 0 ? "Infinity" : "-Infinity")
        case .stringParam(let s)?: return jsonString(s)
        case nil: return nil
        }
    }

    /// `s` as a JSON string.
    static func jsonString(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where u.value < 0x20: out += "\\u" + String(repeating: "0", count: 4 - String(u.value, radix: 16).count) + String(u.value, radix: 16)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }

    static func isEmpty(_ c: Inference_InferTensorContents) -> Bool {
        c.boolContents.isEmpty && c.intContents.isEmpty && c.int64Contents.isEmpty && c.uintContents.isEmpty
            && c.uint64Contents.isEmpty && c.fp32Contents.isEmpty && c.fp64Contents.isEmpty && c.bytesContents.isEmpty
    }

    /// The number of values the typed field of `datatype` holds (nil: the type has none).
    static func count(_ c: Inference_InferTensorContents, _ datatype: TensorDataType) -> Int? {
        switch datatype {
        case .bool: return c.boolContents.count
        case .int8, .int16, .int32: return c.intContents.count
        case .int64: return c.int64Contents.count
        case .uint8, .uint16, .uint32: return c.uintContents.count
        case .uint64: return c.uint64Contents.count
        case .fp32: return c.fp32Contents.count
        case .fp64: return c.fp64Contents.count
        case .bytes: return c.bytesContents.count
        case .fp16, .bf16: return nil
        }
    }

    /// Appends the typed values as little-endian elements of `datatype`; false for a type the
    /// protocol gives no typed field (FP16, BF16).
    static func append(_ c: Inference_InferTensorContents, as datatype: TensorDataType, to body: inout [UInt8]) -> Bool {
        func put<T: FixedWidthInteger>(_ values: [T]) { for v in values { withUnsafeBytes(of: v.littleEndian) { body.append(contentsOf: $0) } } }
        switch datatype {
        case .fp32: put(c.fp32Contents.map(\.bitPattern))
        case .fp64: put(c.fp64Contents.map(\.bitPattern))
        case .int64: put(c.int64Contents)
        case .uint64: put(c.uint64Contents)
        case .int32: put(c.intContents)
        case .int16: put(c.intContents.map { Int16(truncatingIfNeeded: $0) })
        case .int8: put(c.intContents.map { Int8(truncatingIfNeeded: $0) })
        case .uint32: put(c.uintContents)
        case .uint16: put(c.uintContents.map { UInt16(truncatingIfNeeded: $0) })
        case .uint8: put(c.uintContents.map { UInt8(truncatingIfNeeded: $0) })
        case .bool: body.append(contentsOf: c.boolContents.map { $0 ? 1 : 0 })
        case .bytes: for b in c.bytesContents { body.append(contentsOf: b) }
        case .fp16, .bf16: return false
        }
        return true
    }
}
