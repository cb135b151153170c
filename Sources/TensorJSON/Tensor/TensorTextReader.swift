import Parallelism

/// Converts the text of a nested or flat tensor straight into its elements, holding nothing per
/// element but the element itself. A regular array of numbers (``JSONArray/isRegular``,
/// ``JSONArray/numericLeaves``) is converted on all cores; anything else is walked value by
/// value, so that each wrong element, ragged row or stray value is reported with its pointer.
struct TensorTextReader<T: TensorElement> {
    let bytes: UnsafeBufferPointer<UInt8>
    let document: JSONDocument
    /// The expected shape.
    let shape: [Int]
    /// The pointer of the outermost array.
    let base: JSONPointer
    let out: UnsafeMutablePointer<T>
    var filled = 0
    var problems: ProblemList
    private var indexPath: [Int] = []

    init(bytes: UnsafeBufferPointer<UInt8>, document: JSONDocument, shape: [Int], base: JSONPointer,
         out: UnsafeMutablePointer<T>, problems: ProblemList) {
        self.bytes = bytes
        self.document = document
        self.shape = shape
        self.base = base
        self.out = out
        self.problems = problems
    }

    private var here: JSONPointer { indexPath.reduce(base) { $0 / $1 } }

    /// Reads `array`, expected at depth `depth` of ``shape``.
    mutating func read(_ array: JSONArray, depth: Int) {
        guard array.count == shape[depth] else {
            problems.add(here, "ragged tensor: expected \(shape[depth]) elements at depth \(depth), got \(array.count)")
            return
        }
        let rest = Array(shape[depth...])
        if let chunks = array.chunks, rest.count == 1 {
            let target = out + filled
            let p = bytes.baseAddress!
            let ok = Parallel.mapChunks(chunks.count, grain: 1) { range in
                range.allSatisfy { c in Self.values(p, from: chunks[c].offset, to: chunks[c].end, into: target + chunks[c].first) == chunks[c].count }
            }
            if ok.allSatisfy({ $0 }) {
                filled += array.count
                return
            }
        } else if array.isRegular, array.numericLeaves, array.firstShape == rest {
            let n = rest.reduce(1, *)
            if Self.convert(bytes, from: array.offset + 1, to: array.end - 1, count: n, into: out + filled) {
                filled += n
                return
            }
        }
        var cursor = array.offset + 1
        for k in 0..<array.count {
            indexPath.append(k)
            item(&cursor, in: array, depth: depth + 1)
            indexPath.removeLast()
            if problems.count >= ProblemList.cap { return }
        }
    }

    /// The item at `cursor` of `array`, expected at `depth`; moves the cursor past it and its comma.
    private mutating func item(_ cursor: inout Int, in array: JSONArray, depth: Int) {
        skipSpace(&cursor)
        if depth == shape.count, startsNumber(cursor) {
            let start = cursor
            var k = cursor
            _ = NumberGrammar.skip(bytes.baseAddress!, &k, bytes.count)
            let n = JSONNumber(offset: start, length: k - start)
            switch T.read(bytes, n) {
            case .success(let v): out[filled] = v; filled += 1
            case .failure(let p): problems.add(here, p.message(document.echo(n)))
            }
            cursor = k
            skipSpace(&cursor)
            if cursor < bytes.count, bytes[cursor] == UInt8(ascii: ",") { cursor += 1 }
            return
        }
        guard let (value, after) = JSONParser.item(in: array, at: cursor) else { return }
        cursor = after
        if depth == shape.count {
            element(value)
        } else if case .array(let inner) = value {
            read(inner, depth: depth)
        } else {
            problems.add(here, "ragged tensor: expected an array of \(shape[depth]) at depth \(depth), got \(value.typeName)")
        }
    }

    /// One element that is not a plain number: a non-finite string or literal, or a problem.
    private mutating func element(_ value: JSONValue) {
        switch value {
        case .number(let n):
            switch T.read(bytes, n) {
            case .success(let v): out[filled] = v; filled += 1
            case .failure(let p): problems.add(here, p.message(document.echo(n)))
            }
        case .string(let s):
            if let v = T.special(s) {
                out[filled] = v
                filled += 1
                return
            }
            let allowed = T.elementType == .int64 ? "an integer" : "a number or \"NaN\", \"Infinity\", \"-Infinity\""
            problems.add(here, "must be \(allowed), got the string \(Echo.quoted(s))")
        case .array:
            problems.add(here, "ragged tensor: an array where a number belongs")
        default:
            problems.add(here, "must be a number, got \(value.typeName)")
        }
    }

    private func startsNumber(_ k: Int) -> Bool {
        guard k < bytes.count else { return false }
        let b = bytes[k]
        if NumberGrammar.isDigit(b) { return true }
        return b == UInt8(ascii: "-") && k + 1 < bytes.count && NumberGrammar.isDigit(bytes[k + 1])
    }

    private func skipSpace(_ k: inout Int) {
        while k < bytes.count, bytes[k] == 0x20 || bytes[k] == 0x0A || bytes[k] == 0x0D || bytes[k] == 0x09 { k += 1 }
    }

    // MARK: the regular case, on all cores

    /// Text bytes per chunk when a regular array is converted on all cores.
    static var grainBytes: Int { 1 << 18 }

    /// Converts the `count` values in `bytes[from..<to]` (numbers and bare non-finite literals,
    /// between brackets and commas) into `out`; false when one is not a `T` (the walk then
    /// reports it).
    static func convert(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int, count: Int, into out: UnsafeMutablePointer<T>) -> Bool {
        let p = bytes.baseAddress!
        // Chunks start just past a comma, so that no value is cut.
        let chunks = Parallel.chunkCount(to - from, grain: grainBytes)
        var bounds = [from]
        for c in 1..<max(1, chunks) {
            var k = max(bounds[bounds.count - 1], from + (to - from) * c / chunks)
            while k < to && p[k] != UInt8(ascii: ",") { k += 1 }
            if k < to && k + 1 > bounds[bounds.count - 1] { bounds.append(k + 1) }
        }
        bounds.append(to)
        let parts = bounds.count - 1
        if parts == 1 { return values(p, from: from, to: to, into: out) == count }
        // How many values each chunk holds, then each converts into its own place.
        let counts = Parallel.mapChunks(parts, grain: 1) { range in range.map { c in values(p, from: bounds[c], to: bounds[c + 1], into: nil) } }
            .flatMap { $0 }
        var starts = [0]
        for n in counts { starts.append(starts[starts.count - 1] + n) }
        guard starts[parts] == count else { return false }
        let ok = Parallel.mapChunks(parts, grain: 1) { range in
            range.allSatisfy { c in values(p, from: bounds[c], to: bounds[c + 1], into: out + starts[c]) == counts[c] }
        }
        return ok.allSatisfy { $0 }
    }

    /// Reads the values in `p[from..<to]` into `out` (or only counts them when `out` is nil);
    /// -1 when one is not a `T`. The text was checked when it was parsed, so a value ends at the
    /// next separator (`,`, `[`, `]` or space) and needs no grammar here.
    private static func values(_ p: UnsafePointer<UInt8>, from: Int, to: Int, into out: UnsafeMutablePointer<T>?) -> Int {
        var k = from
        var n = 0
        let bytes = UnsafeBufferPointer(start: p, count: to)
        guard let out else {
            var inValue = false
            while k < to {
                let separator = JSONSeparator.ends(p[k])
                if !separator && !inValue { n += 1 }
                inValue = !separator
                k += 1
            }
            return n
        }
        while k < to {
            if JSONSeparator.ends(p[k]) { k += 1; continue }
            let first = p[k]
            // A letter after an optional '-' starts a literal; the index moves without a branch
            // on the sign, which random data makes unpredictable.
            if p[k + (first == UInt8(ascii: "-") ? 1 : 0)] > UInt8(ascii: "9") {
                guard let v = T.special(first == UInt8(ascii: "N") ? "NaN" : first == UInt8(ascii: "I") ? "Infinity" : "-Infinity") else { return -1 }
                out[n] = v
                while k < to && !JSONSeparator.ends(p[k]) { k += 1 }
            } else {
                var end = k
                guard let v = T.value(bytes, at: k, limit: to, end: &end) else { return -1 }
                out[n] = v
                k = end
            }
            n += 1
        }
        return n
    }

}
