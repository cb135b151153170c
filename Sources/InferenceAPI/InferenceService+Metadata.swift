import InferenceProtocol
import MicroHTTP
import PoolCore
import TensorJSON

extension InferenceService {
    /// `GET /v2`: name, version and extensions.
    func serverMetadata() -> Response {
        var w = JSONWriter()
        w.raw("{\"name\":")
        w.string(Self.serverName)
        w.raw(",\"version\":")
        w.string(Self.serverVersion)
        w.raw(",\"extensions\":[")
        for (k, e) in Self.extensions.enumerated() {
            if k > 0 { w.byte(UInt8(ascii: ",")) }
            w.string(e)
        }
        w.raw("]}")
        return Response(status: 200, contentType: "application/json", body: w.bytes)
    }

    /// `GET /v2/models/{name}`: the layer's tensors. Free dimensions are -1; a layer whose rank
    /// is not fixed shows the smallest, rank 3 (N, C and one spatial dim).
    func modelMetadata(_ layer: LayerModel) -> Response {
        let (inputs, outputs) = layer.signature
        var w = JSONWriter()
        w.raw("{\"name\":")
        w.string(layer.name)
        w.raw(",\"versions\":[")
        w.string(LayerModel.version)
        w.raw("],\"platform\":\"poolserve\",\"inputs\":")
        Self.writeTensors(inputs, into: &w)
        w.raw(",\"outputs\":")
        Self.writeTensors(outputs, into: &w)
        w.raw("}")
        return Response(status: 200, contentType: "application/json", body: w.bytes)
    }

    private static func writeTensors(_ tensors: [LayerModel.TensorSignature], into w: inout JSONWriter) {
        w.byte(UInt8(ascii: "["))
        for (k, (name, type, shape)) in tensors.enumerated() {
            if k > 0 { w.byte(UInt8(ascii: ",")) }
            w.raw("{\"name\":")
            w.string(name)
            w.raw(",\"datatype\":")
            w.string(type.rawValue)
            w.raw(",\"shape\":[")
            for (j, d) in shape.enumerated() {
                if j > 0 { w.byte(UInt8(ascii: ",")) }
                w.int(Int64(d))
            }
            w.raw("]}")
        }
        w.byte(UInt8(ascii: "]"))
    }
}
