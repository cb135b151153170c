import PoolCore
import TensorJSON

/// An inference request as a transport gives it (`$inference_request` of the Open Inference
/// Protocol): REST reads it from its JSON header and the binary data after it (Triton's binary
/// tensor data extension), gRPC from a `ModelInferRequest` and its raw contents. Tensor values are not read here: each input knows where its values are.
public struct InferenceRequest {
    /// One input tensor.
    package struct Input: Sendable {
        package let name: String
        package let shape: [Int]
        package let datatype: TensorDataType
        /// Its JSON `data` (flat or nested), when it is not binary.
        package let data: JSONValue?
        /// Its `binary_data_size`, when it is binary.
        package let binarySize: Int?
        /// Where its bytes lie in the body, when it is binary (set by the framing).
        package var binary: Range<Int>?

        package init(name: String, shape: [Int], datatype: TensorDataType, data: JSONValue?, binarySize: Int?, binary: Range<Int>?) {
            (self.name, self.shape, self.datatype, self.data, self.binarySize, self.binary) = (name, shape, datatype, data, binarySize, binary)
        }
    }

    /// One requested output.
    package struct Output {
        package let name: String
        /// Its `binary_data` parameter, when given.
        package let binary: Bool?

        package init(name: String, binary: Bool?) { (self.name, self.binary) = (name, binary) }
    }

    /// The parsed header (the `data` values point into it).
    package let document: JSONDocument
    /// The request's `id`, echoed in the response.
    package let id: String?
    /// The request's `parameters` other than the protocol's own.
    package let parameters: [(key: String, value: JSONValue)]
    /// `binary_data_output`: the default of every output's `binary_data`.
    package let binaryOutput: Bool
    package var inputs: [Input]
    /// The outputs asked for (nil: all that apply).
    package let outputs: [Output]?

    package init(document: JSONDocument, id: String?, parameters: [(key: String, value: JSONValue)], binaryOutput: Bool,
                 inputs: [Input], outputs: [Output]?) {
        self.document = document
        self.id = id
        self.parameters = parameters
        self.binaryOutput = binaryOutput
        self.inputs = inputs
        self.outputs = outputs
    }

    /// Request parameters that belong to the protocol, Triton's scheduling or KServe's codecs
    /// rather than to the layer; they are accepted and do not change the computation.
    package static let protocolParameters: Set<String> = [
        "binary_data_output", "sequence_id", "sequence_start", "sequence_end", "priority", "timeout", "content_type", "headers",
    ]

    /// What the header may hold: JSON as Triton reads it, with the bare `NaN`, `Infinity` and
    /// `-Infinity` that `tritonclient` writes for non-finite data.
    public static let parseLimits: JSONParseLimits = {
        var limits = JSONParseLimits.standard
        limits.nonFiniteLiterals = true
        return limits
    }()
}

extension String {
    /// The string without leading and trailing characters of `set`.
    package func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let c = s.first, set.contains(c) { s.removeFirst() }
        while let c = s.last, set.contains(c) { s.removeLast() }
        return String(s)
    }
}
