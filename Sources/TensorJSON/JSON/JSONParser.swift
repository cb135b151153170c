/// A strict RFC 8259 parser: UTF-8 only, no trailing bytes, no comments, in one linear pass,
/// holding the document to a reader's ``JSONParseLimits`` as it goes (nesting depth, so hostile
/// input cannot exhaust the stack; short arrays; number lengths).
///
/// Arrays are checked and measured but not built (``JSONArray``): parsing holds no memory per
/// element, whatever the tensor data looks like.
public struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    /// The same bytes, shared with the arrays the parser returns.
    let source: [UInt8]
    let limits: JSONParseLimits
    var i = 0
    /// The member names from the root to the value being read (for limits and their pointers).
    private var keys: [String] = []
    /// Whether arrays outside any member are short (when the items of an array are read again).
    private var outerShort: Bool?

    private init(_ bytes: UnsafeBufferPointer<UInt8>, _ source: [UInt8], _ limits: JSONParseLimits) {
        self.bytes = bytes
        self.source = source
        self.limits = limits
    }

    /// The largest document accepted (number positions are kept in 32 bits).
    public static let maxBytes = Int(UInt32.max)

    /// Parses a whole document.
    public static func parse(_ bytes: [UInt8], limits: JSONParseLimits = .standard) throws(JSONSyntaxError) -> JSONDocument {
        guard bytes.count <= maxBytes else { throw JSONSyntaxError(offset: maxBytes, message: "document larger than 4 GiB") }
        let result: Result<JSONValue, JSONSyntaxError> = bytes.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(buffer, bytes, limits)
            do throws(JSONSyntaxError) {
                parser.skipSpace()
                let value = try parser.value(depth: 0)
                parser.skipSpace()
                guard parser.i == buffer.count else { throw parser.error("unexpected bytes after the JSON value") }
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .success(let root): return JSONDocument(bytes: bytes, root: root)
        case .failure(let e): throw e
        }
    }

    func error(_ message: String, at offset: Int? = nil) -> JSONSyntaxError {
        JSONSyntaxError(offset: offset ?? i, message: message)
    }

    /// Valid JSON past a limit: where, by the member names around it.
    func limit(_ message: String, at offset: Int? = nil) -> JSONSyntaxError {
        let pointer = keys.reduce(JSONPointer.root) { $0 / $1 }
        return JSONSyntaxError(offset: offset ?? i, message: message, isLimit: true, pointer: pointer)
    }

    /// Whether an array here may be long: no long members are named (every array may be), or the
    /// nearest member name around it is one.
    var longAllowed: Bool {
        if keys.isEmpty, let outerShort { return !outerShort }
        return limits.longMembers.isEmpty || keys.last.map(limits.longMembers.contains) == true
    }

    /// The item of `array` that starts at `cursor` (after any space), and the offset of the item
    /// after it (past its comma); nil past the last item. The text was checked when the document
    /// was parsed.
    static func item(in array: JSONArray, at cursor: Int) -> (JSONValue, Int)? {
        array.source.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(buffer, array.source, array.limits)
            parser.outerShort = array.short
            parser.i = cursor
            parser.skipSpace()
            guard parser.i < buffer.count, buffer[parser.i] != UInt8(ascii: "]") else { return nil }
            guard let value = try? parser.value(depth: array.depth) else { return nil }
            parser.skipSpace()
            if parser.i < buffer.count, buffer[parser.i] == UInt8(ascii: ",") { parser.i += 1 }
            return (value, parser.i)
        }
    }

    /// Throws once an array that may not be long holds more than the limit.
    @inline(__always)
    func checkItems(_ count: Int, short: Bool) throws(JSONSyntaxError) {
        if short && count > limits.maxShortItems {
            throw limit("has more than \(limits.maxShortItems) values; no list of this API is longer")
        }
    }

    mutating func skipSpace() {
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x09, 0x0A, 0x0D: i += 1
            default: return
            }
        }
    }

    mutating func value(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard i < bytes.count else { throw error("unexpected end of input, expected a value") }
        switch bytes[i] {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "N") where limits.nonFiniteLiterals: try literal("NaN"); return .string("NaN")
        case UInt8(ascii: "I") where limits.nonFiniteLiterals: try literal("Infinity"); return .string("Infinity")
        case UInt8(ascii: "-") where limits.nonFiniteLiterals && startsNegativeInfinity: try literal("-Infinity"); return .string("-Infinity")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw error("unexpected character \(describe(bytes[i])), expected a value")
        }
    }

    /// Whether `-Infinity` starts at the cursor.
    var startsNegativeInfinity: Bool { i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "I") }

    func describe(_ b: UInt8) -> String {
        b >= 0x20 && b < 0x7F ? "'\(Character(UnicodeScalar(b)))'" : "byte 0x" + String(b, radix: 16)
    }

    mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
        let start = i
        let n = word.utf8CodeUnitCount
        guard i + n <= bytes.count else { throw error("invalid literal", at: start) }
        for k in 0..<n where bytes[i + k] != word.utf8Start[k] { throw error("invalid literal", at: start) }
        i += n
    }

    mutating func object(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard depth <= limits.maxDepth else { throw limit("nests deeper than \(limits.maxDepth) levels") }
        i += 1
        var members: [(key: String, value: JSONValue)] = []
        let memberStart = i
        skipSpace()
        if i < bytes.count && bytes[i] == UInt8(ascii: "}") { i += 1; return .object(JSONObject(members: members)) }
        while true {
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw error("expected a member name in double quotes") }
            let key = try string()
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw error("expected ':' after a member name") }
            i += 1
            skipSpace()
            keys.append(key)
            members.append((key, try value(depth: depth)))
            keys.removeLast()
            if members.count > limits.maxMembers {
                throw limit("has more than \(limits.maxMembers) members; no object of this API has as many", at: memberStart - 1)
            }
            skipSpace()
            guard i < bytes.count else { throw error("unexpected end of input inside an object") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(JSONObject(members: members)) }
            throw error("expected ',' or '}' in an object, found \(describe(bytes[i]))")
        }
    }

    mutating func number() throws(JSONSyntaxError) -> JSONNumber {
        let start = i
        if let failure = NumberGrammar.skip(bytes.baseAddress!, &i, bytes.count) { throw error(failure.message, at: start) }
        guard i - start <= limits.maxNumberLength else {
            throw limit("holds a number of \(i - start) characters, longer than any float needs (\(limits.maxNumberLength) at most)", at: start)
        }
        return JSONNumber(offset: start, length: i - start)
    }

    @inline(__always) private func isDigit(_ b: UInt8) -> Bool { NumberGrammar.isDigit(b) }

    mutating func string() throws(JSONSyntaxError) -> String {
        let start = i
        i += 1
        // Fast path: no escapes and no control characters up to the closing quote (base64
        // tensors are megabytes of this), eight bytes at a time.
        let base = UnsafeRawPointer(bytes.baseAddress!)
        var j = i
        while j + 8 <= bytes.count {
            let w = UInt64(littleEndian: (base + j).loadUnaligned(as: UInt64.self))
            // A byte is "special" if it is '"', '\\' or below 0x20.
            let quote = (w ^ 0x2222_2222_2222_2222)
            let slash = (w ^ 0x5C5C_5C5C_5C5C_5C5C)
            func hasZero(_ x: UInt64) -> Bool { (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080 != 0 }
            let control = (w &- 0x2020_2020_2020_2020) & ~w & 0x8080_8080_8080_8080
            if hasZero(quote) || hasZero(slash) || control != 0 { break }
            j += 8
        }
        while j < bytes.count, bytes[j] != UInt8(ascii: "\""), bytes[j] != UInt8(ascii: "\\"), bytes[j] >= 0x20 { j += 1 }
        if j < bytes.count && bytes[j] == UInt8(ascii: "\"") {
            let slice = UnsafeBufferPointer(rebasing: bytes[i..<j])
            guard let text = String(validating: slice, as: UTF8.self) else { throw error("string is not valid UTF-8", at: start) }
            i = j + 1
            return text
        }
        var out: [UInt8] = Array(UnsafeBufferPointer(rebasing: bytes[i..<j]))
        i = j
        while true {
            guard i < bytes.count else { throw error("unterminated string", at: start) }
            let b = bytes[i]
            if b == UInt8(ascii: "\"") { i += 1; break }
            if b < 0x20 { throw error("control character in a string (escape it)") }
            if b != UInt8(ascii: "\\") { out.append(b); i += 1; continue }
            i += 1
            guard i < bytes.count else { throw error("unterminated escape", at: start) }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800...0xDBFF).contains(scalar) {
                    guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                        throw error("unpaired surrogate in \\u escape")
                    }
                    i += 2
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low) else { throw error("invalid low surrogate in \\u escape") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    throw error("unpaired surrogate in \\u escape")
                }
                out.append(contentsOf: Array(String(Character(UnicodeScalar(scalar)!)).utf8))
            default:
                throw error("invalid escape '\\\(Character(UnicodeScalar(e)))'", at: i - 2)
            }
        }
        guard let s = String(validating: out, as: UTF8.self) else { throw error("string is not valid UTF-8", at: start) }
        return s
    }

    private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        guard i + 4 <= bytes.count else { throw error("truncated \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[i]
            let d: UInt32
            switch b {
            case 0x30...0x39: d = UInt32(b - 0x30)
            case 0x41...0x46: d = UInt32(b - 0x41 + 10)
            case 0x61...0x66: d = UInt32(b - 0x61 + 10)
            default: throw error("invalid hex digit in \\u escape")
            }
            v = v << 4 | d
            i += 1
        }
        return v
    }
}
