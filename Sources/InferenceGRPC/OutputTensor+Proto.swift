import FoundationEssentials  // Data; not Foundation, which would load ICU (about 30 MiB) for nothing
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

extension Inference_ModelInferResponse {
    /// The response carrying `outputs`: as raw contents (what Triton sends and tritonclient
    /// reads), or typed contents when every output asked for them (`binary_data` false) and
    /// each has a typed field — the protocol allows one form for all outputs of a response.
    init(model: String, id: String?, outputs: [OutputTensor]) {
        self.init()
        modelName = model
        modelVersion = LayerModel.version
        id.map { self.id = $0 }
        let typed = !outputs.isEmpty && outputs.allSatisfy { !$0.binary && $0.hasTypedField }
        self.outputs = outputs.map { output in
            var t = Inference_ModelInferResponse.InferOutputTensor()
            t.name = output.name
            t.datatype = output.datatype.rawValue
            t.shape = output.shape.map(Int64.init)
            if typed { t.contents = output.typedContents }
            return t
        }
        if !typed { rawOutputContents = outputs.map(\.rawContents) }
    }
}
