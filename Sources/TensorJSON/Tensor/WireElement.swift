/// Element types a response tensor can be written from: `Float`, `Double` and `Int64`.
public protocol WireElement: Sendable {
    /// The `b64` dtype of the type.
    static var wireType: ElementType { get }
    /// The longest text of one value.
    static var maxTextLength: Int { get }
    /// Writes the value's JSON text at `p` and returns its length.
    static func write(_ v: Self, to p: UnsafeMutablePointer<UInt8>) -> Int
}

/// A float's JSON text: integral values below `limit` (where every integer is exact) as integers,
/// the shortest text; non-finite ones as "NaN", "Infinity", "-Infinity"; the rest as the shortest
/// text that reads back to the same value (Swift's `description`, without a trailing ".0").
@inline(__always)
func writeFloat<T: BinaryFloatingPoint & LosslessStringConvertible>(_ v: T, exactBelow limit: T, to p: UnsafeMutablePointer<UInt8>) -> Int {
    if v.magnitude < limit && v == v.rounded(.towardZero) {
        if v == 0 && v.sign == .minus { p[0] = UInt8(ascii: "-"); p[1] = UInt8(ascii: "0"); return 2 }
        return IntegerText.write(Int64(v), to: p)
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
    public static var wireType: ElementType { .float32 }
    public static var maxTextLength: Int { 24 }
    @inline(__always) public static func write(_ v: Float, to p: UnsafeMutablePointer<UInt8>) -> Int { writeFloat(v, exactBelow: 16_777_216, to: p) }
}

extension Double: WireElement {
    public static var wireType: ElementType { .float64 }
    public static var maxTextLength: Int { 32 }
    @inline(__always) public static func write(_ v: Double, to p: UnsafeMutablePointer<UInt8>) -> Int { writeFloat(v, exactBelow: 9_007_199_254_740_992, to: p) }
}

extension Int64: WireElement {
    public static var wireType: ElementType { .int64 }
    public static var maxTextLength: Int { 20 }
    @inline(__always) public static func write(_ v: Int64, to p: UnsafeMutablePointer<UInt8>) -> Int { IntegerText.write(v, to: p) }
}
