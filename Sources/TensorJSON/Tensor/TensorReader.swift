/// Reads tensors from a parsed document in any of the three wire forms, in two steps:
/// ``inspect(_:document:at:maxElements:problems:)`` checks the form and shape and holds the
/// element count to the limit before anything is allocated; ``read(_:_:document:at:problems:)``
/// then converts the elements straight into a typed array. Every problem is recorded with its
/// JSON pointer.
///
/// This is the codec's one entry point for reading: its insides can change without its callers.
enum TensorReader {
    /// The highest rank accepted.
    static let maxRank = 10

    /// What ``inspect(_:document:at:maxElements:problems:)`` learns of a tensor without reading
    /// its elements.
    struct Layout: Sendable {
        var shape: [Int]
        var encoding: TensorEncoding
        /// The `b64` dtype.
        var dtype: ElementType?
        var count: Int
    }

    /// The form and shape of `value`, or nil after recording why it is not a tensor within
    /// `maxElements` elements.
    static func inspect(_ value: JSONValue, document: JSONDocument, at pointer: JSONPointer, maxElements: Int,
                        problems: inout ProblemList) -> Layout? {
        switch value {
        case .array(let array): return inspectNested(array, at: pointer, maxElements: maxElements, problems: &problems)
        case .object(let object):
            if object["b64"] != nil { return inspectBinary(object, document: document, at: pointer, maxElements: maxElements, problems: &problems) }
            if object["data"] != nil { return inspectFlat(object, document: document, at: pointer, maxElements: maxElements, problems: &problems) }
            problems.add(pointer, "a tensor object needs \"data\" (flat form) or \"b64\" (binary form)")
            return nil
        default:
            problems.add(pointer, "must be a tensor (nested arrays, {\"shape\", \"data\"} or {\"shape\", \"dtype\", \"b64\"}), got \(value.typeName)")
            return nil
        }
    }

    /// The elements of a tensor that ``inspect(_:document:at:maxElements:problems:)`` accepted, as
    /// `T`, or nil after recording every element that is not a `T` (and ragged nesting).
    static func read<T: TensorElement>(_ value: JSONValue, _ layout: Layout, document: JSONDocument, at pointer: JSONPointer,
                                       problems: inout ProblemList) -> [T]? {
        let before = problems.count
        switch layout.encoding {
        case .nested, .flat:
            let array: JSONArray
            let base: JSONPointer
            let shape: [Int]
            if layout.encoding == .nested {
                guard case .array(let a) = value else { return nil }
                (array, base, shape) = (a, pointer, layout.shape)
            } else {
                guard case .object(let object) = value, case .array(let a)? = object["data"] else { return nil }
                (array, base, shape) = (a, pointer / "data", [layout.count])
            }
            var values = [T](repeating: T.zero, count: layout.count)
            var filled = 0
            document.bytes.withUnsafeBufferPointer { bytes in
                values.withUnsafeMutableBufferPointer { out in
                    var reader = TensorTextReader(bytes: bytes, document: document, shape: shape, base: base,
                                                  out: out.baseAddress!, problems: problems)
                    reader.read(array, depth: 0)
                    problems = reader.problems
                    filled = reader.filled
                }
            }
            guard problems.count == before, filled == layout.count else {
                if problems.count == before { problems.add(pointer, "ragged tensor") }
                return nil
            }
            return values
        case .b64:
            guard case .object(let object) = value, case .string(let text)? = object["b64"], let dtype = layout.dtype else { return nil }
            let (values, message) = decodeBase64(text, dtype: dtype, count: layout.count, as: T.self)
            if let message { problems.add(pointer / "b64", message) }
            return values
        }
    }

    /// The elements of `b64` text of `count` values of `dtype`, as `T`.
    static func decodeBase64<T: TensorElement>(_ text: String, dtype: ElementType, count: Int, as: T.Type) -> ([T]?, String?) {
        let expected = count * dtype.size
        var utf8 = text
        return utf8.withUTF8 { chars in
            let invalid = "is not valid padded base64 of \(expected) bytes"
            guard Base64.decodedLength(chars) == expected else { return (nil, invalid) }
            if dtype == T.elementType {
                // Same type: decode straight into the tensor's memory (little-endian host).
                var ok = false
                let values = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
                    ok = count == 0 || Base64.decode(chars, into: UnsafeMutableRawPointer(buffer.baseAddress!))
                    initialized = ok ? count : 0
                }
                return ok ? (values, nil) : (nil, invalid)
            }
            var raw = [UInt8](repeating: 0, count: expected)
            guard raw.withUnsafeMutableBytes({ expected == 0 || Base64.decode(chars, into: $0.baseAddress!) }) else { return (nil, invalid) }
            var values: [T] = []
            if let message = raw.withUnsafeBytes({ T.append($0, as: dtype, to: &values) }) { return (nil, message) }
            return (values, nil)
        }
    }

    // MARK: nested

    private static func inspectNested(_ array: JSONArray, at pointer: JSONPointer, maxElements: Int, problems: inout ProblemList) -> Layout? {
        var shape: [Int] = []
        var path = pointer
        for count in array.firstShape {
            guard shape.count < maxRank else {
                problems.add(pointer, "nested deeper than rank \(maxRank)")
                return nil
            }
            guard count > 0 else {
                problems.add(path, "empty array: every dimension must be ≥ 1")
                return nil
            }
            shape.append(count)
            path = path / 0
        }
        guard let total = checkCount(shape, at: pointer, maxElements: maxElements, problems: &problems) else { return nil }
        return Layout(shape: shape, encoding: .nested, dtype: nil, count: total)
    }

    // MARK: flat and binary

    private static func inspectFlat(_ object: JSONObject, document: JSONDocument, at pointer: JSONPointer, maxElements: Int,
                                    problems: inout ProblemList) -> Layout? {
        checkMembers(object, allowed: ["shape", "data"], at: pointer, problems: &problems)
        guard let shape = readShape(object["shape"], document: document, at: pointer / "shape", problems: &problems),
              let count = checkCount(shape, at: pointer, maxElements: maxElements, problems: &problems) else { return nil }
        guard let data = object["data"], let length = data.count else {
            problems.add(pointer / "data", "must be an array of numbers")
            return nil
        }
        guard length == count else {
            problems.add(pointer / "data", "has \(length) elements but shape \(shape) needs \(count)")
            return nil
        }
        return Layout(shape: shape, encoding: .flat, dtype: nil, count: count)
    }

    private static func inspectBinary(_ object: JSONObject, document: JSONDocument, at pointer: JSONPointer, maxElements: Int,
                                      problems: inout ProblemList) -> Layout? {
        checkMembers(object, allowed: ["shape", "dtype", "b64"], at: pointer, problems: &problems)
        let shape = readShape(object["shape"], document: document, at: pointer / "shape", problems: &problems)
        var dtype: ElementType?
        switch object["dtype"] {
        case .string(let s)?:
            dtype = ElementType(rawValue: s)
            if dtype == nil {
                let names = ElementType.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
                problems.add(pointer / "dtype", "must be one of \(names), got \(Echo.quoted(s))")
            }
        case nil: problems.add(pointer / "dtype", "is required with \"b64\"")
        case let other?: problems.add(pointer / "dtype", "must be a string, got \(other.typeName)")
        }
        guard case .string(let text)? = object["b64"] else {
            problems.add(pointer / "b64", "must be a base64 string")
            return nil
        }
        guard let shape, let dtype, let count = checkCount(shape, at: pointer, maxElements: maxElements, problems: &problems) else { return nil }
        let expected = count * dtype.size
        guard text.utf8.count == (expected + 2) / 3 * 4 else {
            problems.add(pointer / "b64", "holds \(text.utf8.count) base64 characters but shape \(shape) of \(dtype.rawValue) needs \((expected + 2) / 3 * 4) (\(expected) bytes)")
            return nil
        }
        return Layout(shape: shape, encoding: .b64, dtype: dtype, count: count)
    }

    /// Reads a shape: 1…maxRank integers ≥ 1.
    static func readShape(_ value: JSONValue?, document: JSONDocument, at pointer: JSONPointer, problems: inout ProblemList) -> [Int]? {
        guard let value, let length = value.count else {
            problems.add(pointer, value == nil ? "is required" : "must be an array of integers, got \(value!.typeName)")
            return nil
        }
        guard (1...maxRank).contains(length), let items = value.items else {
            problems.add(pointer, "must have 1 to \(maxRank) dimensions, got \(length)")
            return nil
        }
        var shape: [Int] = []
        for (k, item) in items.enumerated() {
            guard case .number(let n) = item,
                  case .success(let v) = document.bytes.withUnsafeBufferPointer({ NumberConversion.int64($0, n) }),
                  v >= 1 else {
                problems.add(pointer / k, "must be an integer ≥ 1")
                continue
            }
            shape.append(Int(v))
        }
        return shape.count == items.count ? shape : nil
    }

    /// The element count of `shape`, or nil after recording that it is above the limit (413;
    /// without the flag's name when the count does not even fit 64 bits, where no flag helps).
    static func checkCount(_ shape: [Int], at pointer: JSONPointer, maxElements: Int, problems: inout ProblemList) -> Int? {
        var count = 1
        var overflow = false
        for n in shape {
            let (r, o) = count.multipliedReportingOverflow(by: n)
            overflow = overflow || o
            count = r
        }
        if overflow {
            problems.addLimit(pointer, "shape \(shape) has more elements than a 64-bit count holds, far above the limit of \(maxElements) per tensor")
            return nil
        }
        guard count <= maxElements else {
            problems.addLimit(pointer, "shape \(shape) has more elements than the limit of \(maxElements) per tensor (raise it with --max-elements)")
            return nil
        }
        return count
    }

    /// Records every member of `object` not in `allowed`, and every repeated member.
    static func checkMembers(_ object: JSONObject, allowed: Set<String>, at pointer: JSONPointer, problems: inout ProblemList) {
        var seen = Set<String>()
        for (key, _) in object.members {
            let at = pointer / key
            if !allowed.contains(key) { problems.add(at, "unknown field \(Echo.quoted(key))") }
            if !seen.insert(key).inserted { problems.add(at, "field \(Echo.quoted(key)) appears more than once") }
        }
    }
}
