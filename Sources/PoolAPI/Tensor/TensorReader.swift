import Dispatch

/// Reads tensors from a parsed request in any of the three wire forms, straight into typed
/// arrays. Every problem is recorded with its JSON pointer; element counts are checked against
/// ``maxElements`` before anything is allocated.
///
/// This is the codec's one entry point for reading: its insides can change without its callers.
struct TensorReader {
    /// The highest rank accepted.
    static let maxRank = 10

    let document: JSONDocument
    let maxElements: Int

    /// Reads `value` as a tensor of `T`, or records why not and returns nil.
    func read<T: TensorElement>(_ value: JSONValue, at pointer: JSONPointer, as: T.Type,
                                problems: inout ProblemList) -> DecodedTensor<T>? {
        switch value {
        case .array, .numbers: return readNested(value, at: pointer, problems: &problems)
        case .object(let object):
            if object["b64"] != nil { return readBinary(object, at: pointer, problems: &problems) }
            if object["data"] != nil { return readFlat(object, at: pointer, problems: &problems) }
            problems.add(pointer, "a tensor object needs \"data\" (flat form) or \"b64\" (binary form)")
            return nil
        default:
            problems.add(pointer, "must be a tensor (nested arrays, {\"shape\", \"data\"} or {\"shape\", \"dtype\", \"b64\"}), got \(value.typeName)")
            return nil
        }
    }

    // MARK: nested

    private func readNested<T: TensorElement>(_ value: JSONValue, at pointer: JSONPointer,
                                              problems: inout ProblemList) -> DecodedTensor<T>? {
        var shape: [Int] = []
        var node = value
        var path = pointer
        while true {
            let count: Int
            var next: JSONValue?
            switch node {
            case .array(let items): count = items.count; next = items.first
            case .numbers(let run): count = run.count
            default: count = -1
            }
            guard count >= 0 else { break }
            guard shape.count < Self.maxRank else {
                problems.add(pointer, "nested deeper than rank \(Self.maxRank)")
                return nil
            }
            guard count > 0 else {
                problems.add(path, "empty array: every dimension must be ≥ 1")
                return nil
            }
            shape.append(count)
            guard let next else { break }
            node = next
            path = path / 0
        }
        guard let total = checkCount(shape, at: pointer, problems: &problems) else { return nil }
        var values = [T](repeating: T.zero, count: total)
        var filled = 0
        let before = problems.count
        document.bytes.withUnsafeBufferPointer { bytes in
            values.withUnsafeMutableBufferPointer { out in
                var indexPath: [Int] = []
                flatten(value, depth: 0, shape: shape, bytes: bytes, indexPath: &indexPath, base: pointer,
                        into: out.baseAddress!, filled: &filled, problems: &problems)
            }
        }
        guard problems.count == before, filled == total else {
            if problems.count == before { problems.add(pointer, "ragged tensor") }
            return nil
        }
        return DecodedTensor(shape: shape, values: values, encoding: .nested)
    }

    private func flatten<T: TensorElement>(_ value: JSONValue, depth: Int, shape: [Int], bytes: UnsafeBufferPointer<UInt8>,
                                           indexPath: inout [Int], base: JSONPointer, into out: UnsafeMutablePointer<T>,
                                           filled: inout Int, problems: inout ProblemList) {
        func here() -> JSONPointer { indexPath.reduce(base) { $0 / $1 } }
        if depth == shape.count {
            if let v: T = element(value, bytes: bytes, at: here, problems: &problems) { out[filled] = v; filled += 1 }
            return
        }
        if case .numbers(let run) = value, depth == shape.count - 1, run.count == shape[depth] {
            if let bad = convert(run, bytes: bytes, into: out + filled) {
                indexPath.append(bad)
                _ = element(.number(run[bad]), bytes: bytes, at: here, problems: &problems) as T?
                indexPath.removeLast()
                return
            }
            filled += run.count
            return
        }
        guard let items = value.items else {
            problems.add(here(), "ragged tensor: expected an array of \(shape[depth]) at depth \(depth), got \(value.typeName)")
            return
        }
        guard items.count == shape[depth] else {
            problems.add(here(), "ragged tensor: expected \(shape[depth]) elements at depth \(depth), got \(items.count)")
            return
        }
        for (k, item) in items.enumerated() {
            indexPath.append(k)
            flatten(item, depth: depth + 1, shape: shape, bytes: bytes, indexPath: &indexPath, base: base,
                    into: out, filled: &filled, problems: &problems)
            indexPath.removeLast()
            if problems.count >= ProblemList.cap { return }
        }
    }

    /// Converts a packed run of numbers into `out`, on all cores for long runs; returns the
    /// position of the first number that cannot be read as `T`, or nil.
    private func convert<T: TensorElement>(_ run: [JSONNumber], bytes: UnsafeBufferPointer<UInt8>,
                                           into out: UnsafeMutablePointer<T>) -> Int? {
        let n = run.count
        let chunks = n < 1 << 16 ? 1 : 8
        let firstBad = UnsafeMutablePointer<Int>.allocate(capacity: chunks)
        defer { firstBad.deallocate() }
        run.withUnsafeBufferPointer { numbers in
            let work = { (c: Int) in
                firstBad[c] = -1
                for k in (c * n / chunks)..<((c + 1) * n / chunks) {
                    guard let v = T.value(bytes, numbers[k]) else {
                        firstBad[c] = k
                        return
                    }
                    out[k] = v
                }
            }
            if chunks == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: chunks, execute: work) }
        }
        for c in 0..<chunks where firstBad[c] >= 0 { return firstBad[c] }
        return nil
    }

    /// One element: a number or one of the non-finite strings.
    @inline(__always)
    private func element<T: TensorElement>(_ value: JSONValue, bytes: UnsafeBufferPointer<UInt8>, at pointer: () -> JSONPointer,
                                           problems: inout ProblemList) -> T? {
        switch value {
        case .number(let n):
            switch T.read(bytes, n) {
            case .success(let v): return v
            case .failure(let p):
                problems.add(pointer(), p.message(document.text(of: n)))
                return nil
            }
        case .string(let s):
            if let v = T.special(s) { return v }
            let allowed = T.elementType == .int64 ? "an integer" : "a number or \"NaN\", \"Infinity\", \"-Infinity\""
            problems.add(pointer(), "must be \(allowed), got the string \"\(s.prefix(40))\"")
            return nil
        case .array, .numbers:
            problems.add(pointer(), "ragged tensor: an array where a number belongs")
            return nil
        default:
            problems.add(pointer(), "must be a number, got \(value.typeName)")
            return nil
        }
    }

    // MARK: flat and binary

    private func readFlat<T: TensorElement>(_ object: JSONObject, at pointer: JSONPointer,
                                            problems: inout ProblemList) -> DecodedTensor<T>? {
        checkMembers(object, allowed: ["shape", "data"], at: pointer, problems: &problems)
        guard let shape = readShape(object["shape"], at: pointer / "shape", problems: &problems),
              let count = checkCount(shape, at: pointer, problems: &problems) else { return nil }
        guard let data = object["data"], data.isArray else {
            problems.add(pointer / "data", "must be an array of numbers")
            return nil
        }
        let length: Int
        switch data {
        case .numbers(let run): length = run.count
        default: length = data.items?.count ?? 0
        }
        guard length == count else {
            problems.add(pointer / "data", "has \(length) elements but shape \(shape) needs \(count)")
            return nil
        }
        var values = [T](repeating: T.zero, count: count)
        let before = problems.count
        document.bytes.withUnsafeBufferPointer { bytes in
            values.withUnsafeMutableBufferPointer { out in
                if case .numbers(let run) = data {
                    if let bad = convert(run, bytes: bytes, into: out.baseAddress!) {
                        _ = element(.number(run[bad]), bytes: bytes, at: { pointer / "data" / bad }, problems: &problems) as T?
                    }
                    return
                }
                for (k, item) in (data.items ?? []).enumerated() {
                    if let v = element(item, bytes: bytes, at: { pointer / "data" / k }, problems: &problems) as T? { out[k] = v }
                    if problems.count >= ProblemList.cap { break }
                }
            }
        }
        guard problems.count == before else { return nil }
        return DecodedTensor(shape: shape, values: values, encoding: .flat)
    }

    private func readBinary<T: TensorElement>(_ object: JSONObject, at pointer: JSONPointer,
                                              problems: inout ProblemList) -> DecodedTensor<T>? {
        checkMembers(object, allowed: ["shape", "dtype", "b64"], at: pointer, problems: &problems)
        let shape = readShape(object["shape"], at: pointer / "shape", problems: &problems)
        var dtype: ElementType?
        switch object["dtype"] {
        case .string(let s)?:
            dtype = ElementType(rawValue: s)
            if dtype == nil { problems.add(pointer / "dtype", "must be \"float32\", \"float64\" or \"int64\", got \"\(s.prefix(40))\"") }
        case nil: problems.add(pointer / "dtype", "is required with \"b64\"")
        case let other?: problems.add(pointer / "dtype", "must be a string, got \(other.typeName)")
        }
        guard case .string(let text)? = object["b64"] else {
            problems.add(pointer / "b64", "must be a base64 string")
            return nil
        }
        guard let shape, let dtype, let count = checkCount(shape, at: pointer, problems: &problems) else { return nil }
        let expected = count * dtype.size
        guard text.utf8.count == (expected + 2) / 3 * 4 else {
            problems.add(pointer / "b64", "holds \(text.utf8.count) base64 characters but shape \(shape) of \(dtype.rawValue) needs \((expected + 2) / 3 * 4) (\(expected) bytes)")
            return nil
        }
        var utf8 = text
        var values: [T] = []
        let message: String? = utf8.withUTF8 { chars in
            guard Base64.decodedLength(chars) == expected else { return "is not valid padded base64 of \(expected) bytes" }
            if dtype == T.elementType {
                // Same type: decode straight into the tensor's memory (little-endian host).
                var ok = false
                values = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
                    ok = Base64.decode(chars, into: UnsafeMutableRawPointer(buffer.baseAddress!))
                    initialized = ok ? count : 0
                }
                return ok ? nil : "is not valid padded base64 of \(expected) bytes"
            }
            var raw = [UInt8](repeating: 0, count: expected)
            guard raw.withUnsafeMutableBytes({ Base64.decode(chars, into: $0.baseAddress!) }) else {
                return "is not valid padded base64 of \(expected) bytes"
            }
            return raw.withUnsafeBytes { T.fromBytes($0, as: dtype, into: &values) }
        }
        if let message {
            problems.add(pointer / "b64", message)
            return nil
        }
        return DecodedTensor(shape: shape, values: values, encoding: .b64)
    }

    /// Reads a shape: 1…maxRank integers ≥ 1.
    func readShape(_ value: JSONValue?, at pointer: JSONPointer, problems: inout ProblemList) -> [Int]? {
        guard let items = value?.items else {
            problems.add(pointer, value == nil ? "is required" : "must be an array of integers")
            return nil
        }
        guard (1...Self.maxRank).contains(items.count) else {
            problems.add(pointer, "must have 1 to \(Self.maxRank) dimensions, got \(items.count)")
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

    /// The element count of `shape`, or nil after recording that it is above the limit.
    func checkCount(_ shape: [Int], at pointer: JSONPointer, problems: inout ProblemList) -> Int? {
        var count = 1
        for n in shape {
            let (r, overflow) = count.multipliedReportingOverflow(by: n)
            if overflow || r > maxElements {
                problems.addLimit(pointer, "shape \(shape) has more elements than the limit of \(maxElements) per tensor (raise it with --max-elements)")
                return nil
            }
            count = r
        }
        return count
    }

    /// Records every member of `object` not in `allowed`.
    func checkMembers(_ object: JSONObject, allowed: Set<String>, at pointer: JSONPointer, problems: inout ProblemList) {
        var seen = Set<String>()
        for (key, _) in object.members {
            let at = pointer / JSONPointer.token(key)
            if !allowed.contains(key) { problems.add(at, "unknown field \"\(key.prefix(60))\"") }
            if !seen.insert(key).inserted { problems.add(at, "field \"\(key.prefix(60))\" appears more than once") }
        }
    }
}
