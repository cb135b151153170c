/// The tensor codec as a whole, for tools and benchmarks: JSON text to typed values and back,
/// through the same reader and writer the service uses.
public enum TensorCodec {
    /// Why a text could not be read as a tensor.
    public struct Failure: Error, CustomStringConvertible {
        /// What went wrong, with pointers.
        public let description: String
    }

    /// Reads a JSON document that is one tensor (any of the three forms) as `T` values.
    public static func read<T: TensorElement>(_ json: [UInt8], as: T.Type, maxElements: Int = .max) throws -> DecodedTensor<T> {
        let document: JSONDocument
        do { document = try JSONParser.parse(json) } catch { throw Failure(description: "\(error)") }
        let (payload, decodeProblems) = JSONDocumentDecoder(maxElements: maxElements).decode(TensorPayload.self, from: document)
        var problems = decodeProblems
        guard let payload, problems.isEmpty, let values = payload.read(T.self, problems: &problems) else {
            throw Failure(description: problems.problems.map { "\($0.pointer): \($0.detail)" }.joined(separator: "; "))
        }
        return DecodedTensor(shape: payload.shape, values: values, encoding: payload.encoding)
    }

    /// Reads a JSON document that is one tensor as float32 values.
    public static func readFloat32(_ json: [UInt8], maxElements: Int = .max) throws -> (shape: [Int], values: [Float]) {
        let t = try read(json, as: Float.self, maxElements: maxElements)
        return (t.shape, t.values)
    }

    /// Reads a JSON document that is one tensor as float64 values.
    public static func readFloat64(_ json: [UInt8], maxElements: Int = .max) throws -> (shape: [Int], values: [Double]) {
        let t = try read(json, as: Double.self, maxElements: maxElements)
        return (t.shape, t.values)
    }

    /// Writes `values` as one tensor of `shape` in `encoding`.
    public static func write<T: WireElement>(_ values: [T], shape: [Int], encoding: TensorEncoding) -> [UInt8] {
        var w = JSONWriter(capacity: values.count * (T.maxTextLength / 2) + 64)
        TensorWriter.write(values, shape: shape, encoding: encoding, into: &w)
        return w.bytes
    }

    /// Parses without reading the tensor (for the benchmark's breakdown); returns the root's size.
    public static func parseOnly(_ json: [UInt8]) -> Int {
        guard let d = try? JSONParser.parse(json) else { return 0 }
        if case .object(let o) = d.root { return o.members.count }
        return 1
    }
}
