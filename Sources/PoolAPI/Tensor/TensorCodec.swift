/// The tensor codec as a whole, for tools and benchmarks: JSON text to typed values and back,
/// through the same reader and writer the handlers use.
public enum TensorCodec {
    /// Why a text could not be read as a tensor.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Reads a JSON document that is one tensor (any of the three forms) as float32 values.
    public static func readFloat32(_ json: [UInt8], maxElements: Int = .max) throws -> (shape: [Int], values: [Float]) {
        try read(json, Float.self, maxElements: maxElements)
    }

    /// Reads a JSON document that is one tensor as float64 values.
    public static func readFloat64(_ json: [UInt8], maxElements: Int = .max) throws -> (shape: [Int], values: [Double]) {
        try read(json, Double.self, maxElements: maxElements)
    }

    private static func read<T: TensorElement>(_ json: [UInt8], _: T.Type, maxElements: Int) throws -> (shape: [Int], values: [T]) {
        let document: JSONDocument
        do { document = try JSONParser.parse(json) } catch { throw Failure(description: "\(error)") }
        var problems = ProblemList()
        guard let t = TensorReader(document: document, maxElements: maxElements)
            .read(document.root, at: .root, as: T.self, problems: &problems) else {
            throw Failure(description: problems.problems.map { "\($0.pointer): \($0.detail)" }.joined(separator: "; "))
        }
        return (t.shape, t.values)
    }

    /// Writes float32 values as one tensor in `encoding`.
    public static func write(_ values: [Float], shape: [Int], encoding: TensorEncoding) -> [UInt8] {
        var w = JSONWriter(capacity: values.count * 12 + 64)
        TensorWriter.write(values, shape: shape, encoding: encoding, into: &w)
        return w.bytes
    }

    /// Writes float64 values as one tensor in `encoding`.
    public static func write(_ values: [Double], shape: [Int], encoding: TensorEncoding) -> [UInt8] {
        var w = JSONWriter(capacity: values.count * 20 + 64)
        TensorWriter.write(values, shape: shape, encoding: encoding, into: &w)
        return w.bytes
    }
}

extension TensorCodec {
    /// Parses without reading the tensor (for the benchmark's breakdown).
    public static func parseOnly(_ json: [UInt8]) -> Int {
        guard let d = try? JSONParser.parse(json) else { return 0 }
        if case .object(let o) = d.root { return o.members.count }
        return 1
    }
}
