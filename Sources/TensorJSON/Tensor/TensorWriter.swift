import Parallelism

/// Writes tensors in the three wire forms; the codec's one entry point for writing.
///
/// Numbers are written straight into byte buffers, no `String` per integer; large tensors are
/// cut into row-aligned chunks written on all cores, then joined.
public enum TensorWriter {
    /// Rows of at least this many elements per chunk pay for a thread hop.
    static let grain = 1 << 14

    /// Writes `values` of `shape` in `encoding`.
    public static func write<T: WireElement>(_ values: [T], shape: [Int], encoding: TensorEncoding, into w: inout JSONWriter) {
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
            values.withUnsafeBytes { raw in
                #if _endian(little)
                w.appendBase64(of: raw)
                #else
                #error("poolserve writes b64 tensors little-endian; add a byte swap for this host")
                #endif
            }
            w.raw("\"}")
        }
    }

    /// Writes a shape as a JSON array of integers.
    public static func writeShape(_ shape: [Int], into w: inout JSONWriter) {
        w.byte(UInt8(ascii: "["))
        for (k, n) in shape.enumerated() {
            if k > 0 { w.byte(UInt8(ascii: ",")) }
            w.int(Int64(n))
        }
        w.byte(UInt8(ascii: "]"))
    }

    /// The JSON array text of `values`: nested by `shape` when `nested`, else one flat array.
    /// A shape with an empty dimension writes its empty arrays (`[[], []]` for [2, 0]).
    static func text<T: WireElement>(_ values: [T], shape: [Int], nested: Bool) -> [UInt8] {
        let rank = nested ? shape.count : 1
        guard rank > 0 else { return values.first.map { single($0) } ?? Array("[]".utf8) }
        let rowLength = nested ? shape[rank - 1] : values.count
        guard rowLength > 0, !values.isEmpty else { return emptyArrays(nested ? shape : [0]) }
        // Flat arrays are cut into rows of one element so that chunks can split anywhere.
        let (rows, width) = nested ? (values.count / rowLength, rowLength) : (values.count, 1)
        let parts = values.withUnsafeBufferPointer { v in
            Parallel.mapChunks(rows, grain: max(1, grain / width)) { range -> [UInt8] in
                format(v, rows: range, of: rows, width: width, rank: rank, shape: shape, nested: nested)
            }
        }
        if parts.count == 1 { return parts[0] }
        var joined: [UInt8] = []
        joined.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for part in parts { joined.append(contentsOf: part) }
        return joined
    }

    /// The text of rows `range` of `rows` rows of `width` elements, with the brackets and commas
    /// that open, separate and close them.
    private static func format<T: WireElement>(_ v: UnsafeBufferPointer<T>, rows range: Range<Int>, of rows: Int, width: Int, rank: Int,
                                               shape: [Int], nested: Bool) -> [UInt8] {
        let capacity = range.count * width * (T.maxTextLength + 1) + range.count * (2 * rank + 2) + 2 * rank + 2
        return [UInt8](unsafeUninitializedCapacity: capacity) { buffer, written in
            let p = buffer.baseAddress!
            var n = 0
            for r in range {
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
                let base = r * width
                for k in 0..<width {
                    if k > 0 { p[n] = UInt8(ascii: ","); n += 1 }
                    n += T.write(v[base + k], to: p + n)
                }
            }
            if range.upperBound == rows { for _ in 0..<rank { p[n] = UInt8(ascii: "]"); n += 1 } }
            written = n
        }
    }

    /// A scalar's text (a rank-0 "tensor").
    private static func single<T: WireElement>(_ v: T) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: T.maxTextLength) { buffer, written in
            written = T.write(v, to: buffer.baseAddress!)
        }
    }

    /// Nested empty arrays for a shape with an empty dimension: `[[], []]` for [2, 0].
    private static func emptyArrays(_ shape: [Int]) -> [UInt8] {
        guard let first = shape.first else { return Array("[]".utf8) }
        if first == 0 || shape.count == 1 { return Array("[]".utf8) }
        let inner = emptyArrays(Array(shape.dropFirst()))
        var out: [UInt8] = [UInt8(ascii: "[")]
        for k in 0..<first {
            if k > 0 { out.append(UInt8(ascii: ",")) }
            out += inner
        }
        out.append(UInt8(ascii: "]"))
        return out
    }
}
