/// The tensor reader and writer on values of a parsed document, for other protocols' JSON
/// tensor data (the Open Inference Protocol's `data`: flat or nested arrays).
extension TensorCodec {
    /// Reads `value` (nested arrays, or the flat and b64 objects) as float32 values; problems
    /// are recorded with pointers under `pointer`.
    public static func readFloat32(_ value: JSONValue, in document: JSONDocument, at pointer: JSONPointer, maxElements: Int,
                                   problems: inout ProblemList) -> DecodedTensor<Float>? {
        TensorReader(document: document, maxElements: maxElements).read(value, at: pointer, as: Float.self, problems: &problems)
    }

    /// Reads `value` as float64 values (see ``readFloat32(_:in:at:maxElements:problems:)``).
    public static func readFloat64(_ value: JSONValue, in document: JSONDocument, at pointer: JSONPointer, maxElements: Int,
                                   problems: inout ProblemList) -> DecodedTensor<Double>? {
        TensorReader(document: document, maxElements: maxElements).read(value, at: pointer, as: Double.self, problems: &problems)
    }

    /// Reads `value` as int64 values (see ``readFloat32(_:in:at:maxElements:problems:)``).
    public static func readInt64(_ value: JSONValue, in document: JSONDocument, at pointer: JSONPointer, maxElements: Int,
                                 problems: inout ProblemList) -> DecodedTensor<Int64>? {
        TensorReader(document: document, maxElements: maxElements).read(value, at: pointer, as: Int64.self, problems: &problems)
    }

    /// One flat JSON array of `values`: shortest round-trip texts, non-finite values as the
    /// strings "NaN", "Infinity", "-Infinity".
    public static func flatArray(_ values: [Float]) -> [UInt8] { flat(values) }

    /// One flat JSON array of float64 `values` (see ``flatArray(_:)-(Float)``).
    public static func flatArray(_ values: [Double]) -> [UInt8] { flat(values) }

    /// One flat JSON array of integers.
    public static func flatArray(_ values: [Int64]) -> [UInt8] { flat(values) }

    private static func flat<T: WireElement>(_ values: [T]) -> [UInt8] {
        values.isEmpty ? Array("[]".utf8) : TensorWriter.text(values, shape: [values.count], nested: false)
    }
}
