import InferenceProtocol
import PoolCore
import TensorJSON

/// Reads the fields of an inference request's JSON header, stopping at the first that breaks
/// the protocol with a message that names it.
struct HeaderReader {
    static var maxRank: Int { TensorShape.maxRank }

    let document: JSONDocument

    func request() throws(InferenceError) -> InferenceRequest {
        guard case .object(let root) = document.root else {
            throw .badRequest("the inference request must be a JSON object, got \(document.root.typeName)")
        }
        try only(root, ["id", "parameters", "inputs", "outputs", "model_name", "model_version"], in: "the inference request")
        for key in ["model_name", "model_version"] {
            if let value = root[key], case .string = value {} else if let value = root[key] {
                throw .badRequest("\"\(key)\" must be a string, got \(value.typeName)")
            }
        }
        var id: String?
        switch root["id"] {
        case nil: break
        case .string(let s)?: id = s
        case let other?: throw .badRequest("\"id\" must be a string, got \(other.typeName)")
        }
        var parameters: [(key: String, value: JSONValue)] = []
        var binaryOutput = false
        if let value = root["parameters"] {
            guard case .object(let p) = value else { throw .badRequest("\"parameters\" must be an object, got \(value.typeName)") }
            var seen = Set<String>()
            for member in p.members {
                guard seen.insert(member.key).inserted else { throw .badRequest("request parameter \(quoted(member.key)) appears more than once") }
                try scalar(member, in: "request parameter")
                if member.key == "binary_data_output" {
                    guard case .bool(let b) = member.value else { throw .badRequest("request parameter 'binary_data_output' must be true or false") }
                    binaryOutput = b
                } else if !InferenceRequest.protocolParameters.contains(member.key) && !member.key.hasPrefix("triton_") {
                    parameters.append(member)
                }
            }
        }
        guard let inputsValue = root["inputs"] else { throw .badRequest("\"inputs\" is required") }
        guard let inputItems = inputsValue.items, !inputItems.isEmpty else { throw .badRequest("\"inputs\" must be a non-empty array") }
        var inputs: [InferenceRequest.Input] = []
        for (k, item) in inputItems.enumerated() { inputs.append(try input(item, at: k)) }
        var outputs: [InferenceRequest.Output]?
        if let value = root["outputs"] {
            guard let items = value.items else { throw .badRequest("\"outputs\" must be an array, got \(value.typeName)") }
            var list: [InferenceRequest.Output] = []
            for (k, item) in items.enumerated() { list.append(try output(item, at: k)) }
            outputs = list.isEmpty ? nil : list // an empty list asks for the default, as with Triton
        }
        return InferenceRequest(document: document, id: id, parameters: parameters, binaryOutput: binaryOutput,
                                inputs: inputs, outputs: outputs)
    }

    private func input(_ value: JSONValue, at k: Int) throws(InferenceError) -> InferenceRequest.Input {
        guard case .object(let o) = value else { throw .badRequest("inputs[\(k)] must be an object, got \(value.typeName)") }
        guard case .string(let name)? = o["name"] else { throw .badRequest("inputs[\(k)] needs a \"name\" (a string)") }
        let label = "input \(quoted(name))"
        try only(o, ["name", "shape", "datatype", "parameters", "data"], in: label)
        guard case .string(let typeName)? = o["datatype"] else { throw .badRequest("\(label) needs a \"datatype\" (a string such as \"FP32\")") }
        guard let datatype = TensorDataType(rawValue: typeName) else {
            throw .badRequest("\(label) has unknown datatype \(quoted(typeName)); the protocol's are \(TensorDataType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let shape = try self.shape(o["shape"], label: label)
        var binarySize: Int?
        if let value = o["parameters"] {
            guard case .object(let p) = value else { throw .badRequest("\(label): \"parameters\" must be an object") }
            var seen = Set<String>()
            for member in p.members {
                guard seen.insert(member.key).inserted else { throw .badRequest("\(label): parameter \(quoted(member.key)) appears more than once") }
                try scalar(member, in: "\(label) parameter")
                if member.key == "binary_data_size" {
                    guard case .number(let n) = member.value, let size = Int(document.text(of: n)), size >= 0 else {
                        throw .badRequest("\(label): binary_data_size must be an integer ≥ 0")
                    }
                    binarySize = size
                } else if member.key.hasPrefix("shared_memory_") {
                    throw .badRequest("\(label): shared memory is not supported by this server; send the tensor as binary data or JSON")
                }
            }
        }
        let data = o["data"]
        if data != nil, binarySize != nil { throw .badRequest("\(label) has both \"data\" and binary_data_size") }
        if let data, !data.isArray { throw .badRequest("\(label): \"data\" must be an array (flat or nested), got \(data.typeName)") }
        if data == nil && binarySize == nil { throw .badRequest("\(label) has neither \"data\" nor a binary_data_size parameter") }
        return InferenceRequest.Input(name: name, shape: shape, datatype: datatype, data: data, binarySize: binarySize, binary: nil)
    }

    private func output(_ value: JSONValue, at k: Int) throws(InferenceError) -> InferenceRequest.Output {
        guard case .object(let o) = value else { throw .badRequest("outputs[\(k)] must be an object, got \(value.typeName)") }
        guard case .string(let name)? = o["name"] else { throw .badRequest("outputs[\(k)] needs a \"name\" (a string)") }
        let label = "output \(quoted(name))"
        try only(o, ["name", "parameters"], in: label)
        var binary: Bool?
        if let value = o["parameters"] {
            guard case .object(let p) = value else { throw .badRequest("\(label): \"parameters\" must be an object") }
            var seen = Set<String>()
            for member in p.members {
                guard seen.insert(member.key).inserted else { throw .badRequest("\(label): parameter \(quoted(member.key)) appears more than once") }
                try scalar(member, in: "\(label) parameter")
                switch member.key {
                case "binary_data":
                    guard case .bool(let b) = member.value else { throw .badRequest("\(label): binary_data must be true or false") }
                    binary = b
                case "classification":
                    if case .number(let n) = member.value, document.text(of: n) == "0" { continue }
                    throw .badRequest("\(label): the classification extension is not supported by this server")
                case let key where key.hasPrefix("shared_memory_"):
                    throw .badRequest("\(label): shared memory is not supported by this server")
                default: continue
                }
            }
        }
        return InferenceRequest.Output(name: name, binary: binary)
    }

    /// A tensor shape: 1 to ``maxRank`` integers ≥ 0.
    func shape(_ value: JSONValue?, label: String) throws(InferenceError) -> [Int] {
        try TensorShape.read(value, in: document, label: label)
    }

    /// Refuses a parameter whose value is not a string, number or boolean: the protocol's
    /// parameters are scalars (lists go as JSON text, `"kernelSize": "[3, 3]"`).
    private func scalar(_ member: (key: String, value: JSONValue), in label: String) throws(InferenceError) {
        switch member.value {
        case .string, .number, .bool: return
        default:
            throw .badRequest("\(label) \(quoted(member.key)) must be a string, number or boolean, got \(member.value.typeName) (parameters are scalars: write a list as JSON text, such as \"[3, 3]\")")
        }
    }

    /// Refuses members of `o` outside `allowed`, and repeated members.
    private func only(_ o: JSONObject, _ allowed: Set<String>, in label: String) throws(InferenceError) {
        var seen = Set<String>()
        for member in o.members {
            guard allowed.contains(member.key) else { throw .badRequest("\(label) has unknown field \(quoted(member.key))") }
            guard seen.insert(member.key).inserted else { throw .badRequest("\(label) has field \(quoted(member.key)) more than once") }
        }
    }
}
