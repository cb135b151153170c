/// A tensor on the wire, in any of the three forms (nested arrays, flat `{"shape", "data"}`,
/// `{"shape", "dtype", "b64"}`): the Codable face of the tensor codec.
///
/// Decoded by a ``JSONDocumentDecoder``, a payload keeps its place in the parsed document and
/// only its form and shape are checked (the element count held to the decoder's limit); its
/// elements are converted later, straight into the type the computation wants, by
/// ``read(_:problems:)``. Built by a Swift client, or decoded by Foundation's `JSONDecoder`, it
/// holds its values.
public struct TensorPayload: Codable, Equatable, Sendable {
    /// The shape, outermost dimension first.
    public let shape: [Int]
    /// The form it is written in.
    public let encoding: TensorEncoding
    /// The element type of a `b64` payload.
    public let dtype: ElementType?
    let storage: Storage

    enum Storage: Sendable {
        /// A place in a parsed document (the tensor value itself), and its pointer there.
        case document(JSONDocument, JSONValue, TensorReader.Layout, JSONPointer)
        /// Values as `Double` (text forms built by a client or decoded by Foundation).
        case values([Double])
        /// base64 text of `dtype` values.
        case text(String)
    }

    init(shape: [Int], encoding: TensorEncoding, dtype: ElementType?, storage: Storage) {
        self.shape = shape
        self.encoding = encoding
        self.dtype = dtype
        self.storage = storage
    }

    /// A flat tensor of `values`.
    public static func flat(_ values: [Double], shape: [Int]) -> TensorPayload {
        TensorPayload(shape: shape, encoding: .flat, dtype: nil, storage: .values(values))
    }

    /// A nested tensor of `values` with `shape`.
    public static func nested(_ values: [Double], shape: [Int]) -> TensorPayload {
        TensorPayload(shape: shape, encoding: .nested, dtype: nil, storage: .values(values))
    }

    /// A `b64` tensor from its text.
    public static func b64(shape: [Int], dtype: ElementType, b64: String) -> TensorPayload {
        TensorPayload(shape: shape, encoding: .b64, dtype: dtype, storage: .text(b64))
    }

    /// A `b64` tensor of `values` (little-endian).
    public static func b64<T: WireElement>(_ values: [T], shape: [Int]) -> TensorPayload {
        var text: [UInt8] = []
        values.withUnsafeBytes { Base64.encode($0, into: &text) }
        return .b64(shape: shape, dtype: T.wireType, b64: String(decoding: text, as: UTF8.self))
    }

    /// The elements as `T`, or nil after recording why not (an element that is not a `T`, ragged
    /// nesting, bad base64) with its pointer.
    public func read<T: TensorElement>(_: T.Type, problems: inout ProblemList) -> [T]? { read(T.self, into: &problems) }

    func read<T: TensorElement>(_: T.Type, into problems: inout ProblemList) -> [T]? {
        switch storage {
        case .document(let document, let value, let layout, let pointer):
            return TensorReader.read(value, layout, document: document, at: pointer, problems: &problems)
        case .values(let values):
            return values.map { T.fromDouble($0) }
        case .text(let text):
            let (values, message) = TensorReader.decodeBase64(text, dtype: dtype ?? T.elementType, count: shape.reduce(1, *), as: T.self)
            if let message { problems.add(.root, message) }
            return values
        }
    }

    /// The values in row-major order, as `Double` (empty when they cannot be read).
    public var values: [Double] {
        var problems = ProblemList()
        if dtype == .int64 { return read(Int64.self, problems: &problems)?.map(Double.init) ?? [] }
        return read(Double.self, problems: &problems) ?? []
    }

    /// The `b64` text, for a `b64` payload.
    public var b64Text: String? {
        switch storage {
        case .text(let text): return text
        case .document(_, .object(let o), _, _): if case .string(let s)? = o["b64"] { return s } else { return nil }
        default: return nil
        }
    }

    /// Equal shapes, forms, dtypes and values (NaN equal to NaN).
    public static func == (a: TensorPayload, b: TensorPayload) -> Bool {
        guard a.shape == b.shape, a.encoding == b.encoding, a.dtype == b.dtype else { return false }
        let (x, y) = (a.values, b.values)
        return x.count == y.count && zip(x, y).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
    }
}

extension TensorPayload: TensorSource {
    public func read(_: Float.Type, problems: inout ProblemList) -> [Float]? { read(Float.self, into: &problems) }
    public func read(_: Double.Type, problems: inout ProblemList) -> [Double]? { read(Double.self, into: &problems) }
    public func read(_: Int64.Type, problems: inout ProblemList) -> [Int64]? { read(Int64.self, into: &problems) }

    /// The pointer to element `position` (row-major) in this payload's wire form.
    public func pointer(ofElement position: Int) -> JSONPointer {
        let base: JSONPointer
        if case .document(_, _, _, let pointer) = storage { base = pointer } else { base = .root }
        switch encoding {
        case .flat: return base / "data" / position
        case .b64: return base / "b64"
        case .nested:
            var rest = position
            var index = [Int](repeating: 0, count: shape.count)
            for a in stride(from: shape.count - 1, through: 0, by: -1) where shape[a] > 0 {
                index[a] = rest % shape[a]
                rest /= shape[a]
            }
            return index.reduce(base) { $0 / $1 }
        }
    }
}
