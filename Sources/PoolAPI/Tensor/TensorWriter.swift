import Dispatch

/// Element types a response tensor can be written from.
protocol WireElement: Sendable {
    static var wireType: ElementType { get }
    /// The longest text of one value.
    static var maxTextLength: Int { get }
    /// Writes the value's JSON text at `p` and returns its length.
    static func write(_ v: Self, to p: UnsafeMutablePointer<UInt8>) -> Int
}

/// Writes a signed integer's digits at `p`; returns the length.
@inline(__always)
func writeInteger(_ v: Int64, to p: UnsafeMutablePointer<UInt8>) -> Int {
    var n = 0
    if v < 0 { p[0] = UInt8(ascii: "-"); n = 1 }
    var magnitude = v.magnitude
    if magnitude < 10 { p[n] = UInt8(magnitude) + 0x30; return n + 1 }
    var digits = 0
    var probe = magnitude
    while probe > 0 { digits += 1; probe /= 10 }
    var k = n + digits - 1
    while magnitude > 0 {
        p[k] = UInt8(magnitude % 10) + 0x30
        magnitude /= 10
        k -= 1
    }
    return n + digits
}

/// Writes a float's JSON text: integral values of up to `exactBits` bits as integers (the
/// shortest text), non-finite ones as "NaN", "Infinity", "-Infinity", the rest as the shortest
/// text that reads back to the same value (Swift's `description`, without a trailing ".0").
@inline(__always)
func writeFloat<T: BinaryFloatingPoint & LosslessStringConvertible>(_ v: T, exactBelow limit: T, to p: UnsafeMutablePointer<UInt8>) -> Int {
    if v.magnitude < limit && v == v.rounded(.towardZero) {
        if v == 0 && v.sign == .minus { p[0] = UInt8(ascii: "-"); p[1] = UInt8(ascii: "0"); return 2 }
        return writeInteger(Int64(v), to: p)
    }
    if !v.isFinite {
        let text: StaticString = v.isNaN ? "\"NaN\"" : v < 0 ? "\"-Infinity\"" : "\"Infinity\""
        text.withUTF8Buffer { for (k, b) in $0.enumerated() { p[k] = b } }
        return text.utf8CodeUnitCount
    }
    var text = v.description
    return text.withUTF8 { utf8 in
        var n = utf8.count
        if n >= 2 && utf8[n - 2] == UInt8(ascii: ".") && utf8[n - 1] == UInt8(ascii: "0") { n -= 2 }
        for k in 0..<n { p[k] = utf8[k] }
        return n
    }
}

extension Float: WireElement {
    static var wireType: ElementType { .float32 }
    static var maxTextLength: Int { 24 }
    @inline(__always) static func write(_ v: Float, to p: UnsafeMutablePointer<UInt8>) -> Int { writeFloat(v, exactBelow: 16_777_216, to: p) }
}

extension Double: WireElement {
    static var wireType: ElementType { .float64 }
    static var maxTextLength: Int { 32 }
    @inline(__always) static func write(_ v: Double, to p: UnsafeMutablePointer<UInt8>) -> Int { writeFloat(v, exactBelow: 9_007_199_254_740_992, to: p) }
}

extension Int64: WireElement {
    static var wireType: ElementType { .int64 }
    static var maxTextLength: Int { 20 }
    @inline(__always) static func write(_ v: Int64, to p: UnsafeMutablePointer<UInt8>) -> Int { writeInteger(v, to: p) }
}

/// Writes tensors in the three wire forms. This is the codec's one entry point for writing.
///
/// Numbers are written straight into byte buffers, no `String` per integer; large tensors are
/// cut into row-aligned chunks written on all cores, then joined.
enum TensorWriter {
    /// Writes `values` of `shape` in `encoding`.
    static func write<T: WireElement>(_ values: [T], shape: [Int], encoding: TensorEncoding, into w: inout JSONWriter) {
        switch encoding {
        case .nested:
            w.append(text(values, shape: shape, nested: true))
        case .flat:
            w.raw("{\"shape\":")
            writeShape(shape, into: &w)
            w.raw(",\"data\":")
            w.append(text(values, shape: [values.count], nested: false))
            w.raw("}")
        case .b64:
            w.raw("{\"shape\":")
            writeShape(shape, into: &w)
            w.raw(",\"dtype\":")
            w.string(T.wireType.rawValue)
            w.raw(",\"b64\":\"")
            var text: [UInt8] = []
            values.withUnsafeBytes { raw in
                #if _endian(little)
                Base64.encode(raw, into: &text)
                #else
                #error("poolserve writes b64 tensors little-endian; add a byte swap for this host")
                #endif
            }
            w.append(text)
            w.raw("\"}")
        }
    }

    /// Writes a shape as a JSON array of integers.
    static func writeShape(_ shape: [Int], into w: inout JSONWriter) {
        w.byte(UInt8(ascii: "["))
        for (k, n) in shape.enumerated() {
            if k > 0 { w.byte(UInt8(ascii: ",")) }
            w.int(Int64(n))
        }
        w.byte(UInt8(ascii: "]"))
    }

    /// Formats the elements `range` of `values`, comma-separated, into a new buffer; calls
    /// `between(r, p)` before every `rowLength`-th element r > 0 of a row to write separators, and
    /// `before`/`after` around the chunk.
    @inline(__always)
    private static func format<T: WireElement>(_ v: UnsafeBufferPointer<T>, _ range: Range<Int>, extra: Int,
                                               _ body: (UnsafeMutablePointer<UInt8>, inout Int) -> Void) -> [UInt8] {
        let capacity = range.count * (T.maxTextLength + 1) + extra
        return [UInt8](unsafeUninitializedCapacity: capacity) { buffer, written in
            var n = 0
            body(buffer.baseAddress!, &n)
            written = n
        }
    }

    /// Runs `work(chunk)` for `chunks` chunks, on all cores when there is more than one.
    @inline(__always)
    private static func parallel(_ chunks: Int, _ work: (Int) -> Void) {
        if chunks == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: chunks, execute: work) }
    }

    private static func join(_ parts: [[UInt8]]) -> [UInt8] {
        if parts.count == 1 { return parts[0] }
        var joined: [UInt8] = []
        joined.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for part in parts { joined.append(contentsOf: part) }
        return joined
    }

    /// The JSON array text of `values`: nested by `shape` when `nested`, else one flat array.
    static func text<T: WireElement>(_ values: [T], shape: [Int], nested: Bool) -> [UInt8] {
        let rank = nested ? shape.count : 1
        let rowLength = nested ? shape[rank - 1] : 1
        let rows = values.count / rowLength
        let chunks = values.count < 1 << 15 ? 1 : min(rows, 16)
        var parts = [[UInt8]](repeating: [], count: chunks)
        values.withUnsafeBufferPointer { v in
            parts.withUnsafeMutableBufferPointer { out in
                parallel(chunks) { c in
                    let (first, last) = (c * rows / chunks, (c + 1) * rows / chunks)
                    out[c] = format(v, (first * rowLength)..<(last * rowLength), extra: (last - first) * (2 * rank + 2) + 2 * rank + 2) { p, n in
                        for r in first..<last {
                            if r == 0 {
                                for _ in 0..<rank { p[n] = UInt8(ascii: "["); n += 1 }
                            } else if !nested {
                                p[n] = UInt8(ascii: ","); n += 1
                            } else {
                                // The row closes, and so does every enclosing dimension that r completes.
                                var closes = 1
                                var span = 1
                                var d = rank - 2
                                while d >= 1 {
                                    span *= shape[d]
                                    guard r % span == 0 else { break }
                                    closes += 1
                                    d -= 1
                                }
                                for _ in 0..<closes { p[n] = UInt8(ascii: "]"); n += 1 }
                                p[n] = UInt8(ascii: ","); n += 1
                                for _ in 0..<closes { p[n] = UInt8(ascii: "["); n += 1 }
                            }
                            let base = r * rowLength
                            for k in 0..<rowLength {
                                if k > 0 { p[n] = UInt8(ascii: ","); n += 1 }
                                n += T.write(v[base + k], to: p + n)
                            }
                        }
                        if last == rows { for _ in 0..<rank { p[n] = UInt8(ascii: "]"); n += 1 } }
                    }
                }
            }
        }
        return join(parts)
    }
}
