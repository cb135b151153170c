import InferenceProtocol
import MicroHTTP
import PoolCore
import TensorJSON

/// An infer call's answer (`$inference_response`): the JSON header, then the binary outputs'
/// bytes in output order, each written once, straight from its tensor into the body.
struct InferenceResponse {
    let model: String
    let id: String?
    let outputs: [OutputTensor]
    /// The resolved rules of a call made under a convention, as JSON text (the `rules` parameter).
    var rules: String? = nil

    var response: Response {
        var w = JSONWriter(capacity: 512)
        w.raw("{\"model_name\":")
        w.string(model)
        w.raw(",\"model_version\":")
        w.string(LayerModel.version)
        if let id {
            w.raw(",\"id\":")
            w.string(id)
        }
        if let rules {
            w.raw(",\"parameters\":{\"rules\":")
            w.string(rules)
            w.byte(UInt8(ascii: "}"))
        }
        w.raw(",\"outputs\":[")
        var binaryBytes = 0
        for (k, output) in outputs.enumerated() {
            if k > 0 { w.byte(UInt8(ascii: ",")) }
            w.raw("{\"name\":")
            w.string(output.name)
            w.raw(",\"datatype\":")
            w.string(output.datatype.rawValue)
            w.raw(",\"shape\":[")
            for (j, d) in output.shape.enumerated() {
                if j > 0 { w.byte(UInt8(ascii: ",")) }
                w.int(Int64(d))
            }
            w.byte(UInt8(ascii: "]"))
            if output.binary {
                w.raw(",\"parameters\":{\"binary_data_size\":")
                w.int(Int64(output.byteCount))
                w.raw("}}")
                binaryBytes += output.byteCount
            } else {
                w.raw(",\"data\":")
                w.append(output.json)
                w.byte(UInt8(ascii: "}"))
            }
        }
        w.raw("]}")
        guard outputs.contains(where: \.binary) else { return Response(status: 200, contentType: "application/json", body: w.bytes) }
        let header = w.bytes
        let body = [UInt8](unsafeUninitializedCapacity: header.count + binaryBytes) { buffer, initialized in
            let base = UnsafeMutableRawPointer(buffer.baseAddress!)
            header.withUnsafeBytes { base.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            var offset = header.count
            for output in outputs where output.binary {
                output.encode(into: base + offset)
                offset += output.byteCount
            }
            initialized = offset
        }
        return Response(status: 200, headers: [("Content-Type", "application/octet-stream"),
                                                ("Inference-Header-Content-Length", String(header.count))], body: body)
    }
}
