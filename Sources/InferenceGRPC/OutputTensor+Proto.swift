import FoundationEssentials  // Data; not Foundation, which would load ICU (about 30 MiB) for nothing
import GRPCCore
import InferenceProtocol

extension OutputTensor {
    /// Its values as little-endian bytes of its datatype (`raw_output_contents`).
    var rawContents: Data {
        var data = Data(count: byteCount)
        if byteCount > 0 { data.withUnsafeMutableBytes { encode(into: $0.baseAddress!) } }
        return data
    }

    /// Whether its datatype has a typed contents field (FP16 and BF16 have none).
    var hasTypedField: Bool { datatype == .fp32 || datatype == .fp64 || datatype == .int64 }

    /// Its values in the typed field of its datatype (only for those ``hasTypedField`` allows).
    var typedContents: Inference_InferTensorContents {
        var c = Inference_InferTensorContents()
        switch (values, datatype) {
        case (.float(let v), .fp32): c.fp32Contents = v
        case (.float(let v), _): c.fp64Contents = v.map { Double($0) }
        case (.double(let v), .fp64): c.fp64Contents = v
        case (.double(let v), _): c.fp32Contents = v.map { Float($0) }
        case (.int64(let v), _): c.int64Contents = v
        }
        return c
    }
}

/// `ModelInfer`'s answer before serialization: the response's fields but its raw contents, and
/// the tensors those come from, so that ``Serializer`` writes each tensor's bytes once, straight
/// into the message, instead of into a `Data` that protobuf's serializer copies again.
struct InferAnswer: @unchecked Sendable {  // arrays of values, used by one task at a time
    /// Every field but `raw_output_contents`.
    var head: Inference_ModelInferResponse
    /// The tensors of `raw_output_contents`, in output order (none when the outputs are typed).
    let raw: [OutputTensor]

    /// The answer carrying `outputs`: as raw contents (what Triton sends and tritonclient reads),
    /// or typed contents when every output asked for them (`binary_data` false) and each has a
    /// typed field — the protocol allows one form for all outputs of a response.
    init(model: String, id: String?, outputs: [OutputTensor]) {
        let typed = !outputs.isEmpty && outputs.allSatisfy { !$0.binary && $0.hasTypedField }
        raw = typed ? [] : outputs
        var head = Inference_ModelInferResponse()
        head.modelName = model
        head.modelVersion = LayerModel.version
        if let id { head.id = id }
        head.outputs = outputs.map { output in
            var t = Inference_ModelInferResponse.InferOutputTensor()
            t.name = output.name
            t.datatype = output.datatype.rawValue
            t.shape = output.shape.map(Int64.init)
            if typed { t.contents = output.typedContents }
            return t
        }
        self.head = head
    }

    /// The whole response as one message (in-process callers; the wire uses ``Serializer``).
    var response: Inference_ModelInferResponse {
        var r = head
        if !raw.isEmpty { r.rawOutputContents = raw.map(\.rawContents) }
        return r
    }

    /// Serializes `head` with protobuf, then appends each raw tensor as field 6
    /// (`raw_output_contents`, wire type 2: tag byte 0x32, varint length, bytes), written by the
    /// tensor's own encoder into the message buffer. Protobuf parsers accept fields in any order,
    /// and field 6 is the last of the message anyway.
    struct Serializer: MessageSerializer {
        func serialize<Bytes: GRPCContiguousBytes>(_ answer: InferAnswer) throws -> Bytes {
            let head: [UInt8] = try answer.head.serializedBytes()
            let total = answer.raw.reduce(head.count) { $0 + 1 + Self.varintLength($1.byteCount) + $1.byteCount }
            var bytes = Bytes(repeating: 0, count: total)
            bytes.withUnsafeMutableBytes { out in
                guard var p = out.baseAddress else { return }
                head.withUnsafeBytes { if let base = $0.baseAddress { p.copyMemory(from: base, byteCount: head.count) } }
                p += head.count
                for tensor in answer.raw {
                    p.storeBytes(of: 0x32, as: UInt8.self)
                    p += 1
                    var n = UInt64(tensor.byteCount)
                    while n >= 0x80 {
                        p.storeBytes(of: UInt8(truncatingIfNeeded: n) | 0x80, as: UInt8.self)
                        p += 1
                        n >>= 7
                    }
                    p.storeBytes(of: UInt8(n), as: UInt8.self)
                    p += 1
                    if tensor.byteCount > 0 { tensor.encode(into: p) }
                    p += tensor.byteCount
                }
            }
            return bytes
        }

        /// The bytes of `n` as a protobuf varint (7 bits each).
        static func varintLength(_ n: Int) -> Int {
            var n = UInt64(n), length = 1
            while n >= 0x80 { n >>= 7; length += 1 }
            return length
        }
    }
}
