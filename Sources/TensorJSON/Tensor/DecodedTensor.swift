/// A tensor read from a request: its shape, values in the wanted type, and the form it came in.
public struct DecodedTensor<Element: Sendable>: Sendable {
    /// The shape, outermost dimension first.
    public var shape: [Int]
    /// The values in row-major order.
    public var values: [Element]
    /// The wire form it was read from.
    public var encoding: TensorEncoding

    /// A tensor of `values` with `shape`, read from `encoding`.
    public init(shape: [Int], values: [Element], encoding: TensorEncoding) {
        self.shape = shape
        self.values = values
        self.encoding = encoding
    }
}
