/// Element types a response tensor can be written from.
protocol WireElement {
    static var wireType: ElementType { get }
    /// Writes the value as JSON text.
    static func write(_ v: Self, into w: inout JSONWriter)
}

extension Float: WireElement {
    static var wireType: ElementType { .float32 }
    static func write(_ v: Float, into w: inout JSONWriter) { w.float(v) }
}

extension Double: WireElement {
    static var wireType: ElementType { .float64 }
    static func write(_ v: Double, into w: inout JSONWriter) { w.float(v) }
}

extension Int64: WireElement {
    static var wireType: ElementType { .int64 }
    static func write(_ v: Int64, into w: inout JSONWriter) { w.int(v) }
}

/// Writes tensors in the three wire forms. This is the codec's one entry point for writing.
enum TensorWriter {
    /// Writes `values` of `shape` in `encoding`.
    static func write<T: WireElement>(_ values: [T], shape: [Int], encoding: TensorEncoding, into w: inout JSONWriter) {
        switch encoding {
        case .nested:
            values.withUnsafeBufferPointer { buffer in
                var offset = 0
                nested(buffer, shape: shape[...], offset: &offset, into: &w)
            }
        case .flat:
            w.raw("{\"shape\":")
            writeShape(shape, into: &w)
            w.raw(",\"data\":[")
            for (k, v) in values.enumerated() {
                if k > 0 { w.byte(UInt8(ascii: ",")) }
                T.write(v, into: &w)
            }
            w.raw("]}")
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
            for b in text { w.byte(b) }
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

    private static func nested<T: WireElement>(_ values: UnsafeBufferPointer<T>, shape: ArraySlice<Int>, offset: inout Int,
                                               into w: inout JSONWriter) {
        w.byte(UInt8(ascii: "["))
        let n = shape.first!
        if shape.count == 1 {
            for k in 0..<n {
                if k > 0 { w.byte(UInt8(ascii: ",")) }
                T.write(values[offset], into: &w)
                offset += 1
            }
        } else {
            for k in 0..<n {
                if k > 0 { w.byte(UInt8(ascii: ",")) }
                nested(values, shape: shape.dropFirst(), offset: &offset, into: &w)
            }
        }
        w.byte(UInt8(ascii: "]"))
    }
}
