/// The tensor reader and writer on values of a parsed document, for other protocols' JSON
/// tensor data (the Open Inference Protocol's `data`: flat or nested arrays).
extension TensorCodec {
    /// The shape and elements of `value` (nested arrays, or the flat and b64 objects) as `T`,
    /// or nil after recording every problem with its pointer under `pointer`; the element count
    /// is held to `maxElements` before anything is allocated.
    public static func read<T: TensorElement>(_ value: JSONValue, in document: JSONDocument, at pointer: JSONPointer, maxElements: Int,
                                              as _: T.Type, problems: inout ProblemList) -> (shape: [Int], values: [T])? {
        guard let layout = TensorReader.inspect(value, document: document, at: pointer, maxElements: maxElements, problems: &problems),
              let values: [T] = TensorReader.read(value, layout, document: document, at: pointer, problems: &problems) else { return nil }
        return (layout.shape, values)
    }

    /// One flat JSON array of `values`: shortest round-trip texts, non-finite values as the
    /// strings "NaN", "Infinity", "-Infinity".
    public static func flatArray<T: WireElement>(_ values: [T]) -> [UInt8] {
        values.isEmpty ? Array("[]".utf8) : TensorWriter.text(values, shape: [values.count], nested: false)
    }
}
