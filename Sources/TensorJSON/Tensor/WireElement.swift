/// Element types a response tensor can be written from: `Float`, `Double` and `Int64`.
public protocol WireElement: Sendable {
    /// The `b64` dtype of the type.
    static var wireType: ElementType { get }
    /// The longest text of one value.
    static var maxTextLength: Int { get }
    /// Writes the value's JSON text at `p` and returns its length.
    static func write(_ v: Self, to p: UnsafeMutablePointer<UInt8>) -> Int
}

/// The Swift runtime's shortest round-trip formatting of a double (the digits `description`
/// prints), written straight into a byte buffer: no `String` per value. Exported by libswiftCore
/// for the standard library's own `description`; returns the text's length. (Float32, the hot
/// path, has its own writer: ``Float32Text``.)
@_silgen_name("swift_float64ToString")
func runtimeFloat64ToString(_ buffer: UnsafeMutablePointer<UInt8>, _ length: UInt, _ value: Double, _ debug: Bool) -> UInt64

/// A float's JSON text: integral values below `limit` (where every integer is exact) as integers,
/// the shortest text; non-finite ones as "NaN", "Infinity", "-Infinity"; the rest as the shortest
/// text that reads back to the same value (`shortest`, the digits of Swift's `description`).
@inline(__always)
func writeFloat<T: BinaryFloatingPoint>(_ v: T, exactBelow limit: T, to p: UnsafeMutablePointer<UInt8>, room: Int,
                                        shortest: (UnsafeMutablePointer<UInt8>) -> Int) -> Int {
    if v.magnitude < limit && v == v.rounded(.towardZero) {
        if v == 0 && v.sign == .minus { p[0] = UInt8(ascii: "-"); p[1] = UInt8(ascii: "0"); return 2 }
        return IntegerText.write(Int64(v), to: p)
    }
    if !v.isFinite { return writeNonFinite(v, to: p) }
    // The runtime writes every digit but zeros into a buffer it expects filled with '0'
    // (`room` bytes, the buffer length it is given).
    UnsafeMutableRawPointer(p).initializeMemory(as: UInt64.self, repeating: 0x3030_3030_3030_3030, count: room / 8)
    var n = shortest(p)
    if n >= 2 && p[n - 2] == UInt8(ascii: ".") && p[n - 1] == UInt8(ascii: "0") { n -= 2 }
    return n
}

/// "NaN", "Infinity" or "-Infinity", quoted (protobuf's JSON convention).
@inline(__always)
func writeNonFinite<T: BinaryFloatingPoint>(_ v: T, to p: UnsafeMutablePointer<UInt8>) -> Int {
    let text: StaticString = v.isNaN ? "\"NaN\"" : v < 0 ? "\"-Infinity\"" : "\"Infinity\""
    text.withUTF8Buffer { for (k, b) in $0.enumerated() { p[k] = b } }
    return text.utf8CodeUnitCount
}

extension Float: WireElement {
    public static var wireType: ElementType { .float32 }
    public static var maxTextLength: Int { 16 }
    @inline(__always) public static func write(_ v: Float, to p: UnsafeMutablePointer<UInt8>) -> Int {
        if v.magnitude < 16_777_216 && v == v.rounded(.towardZero) {
            if v == 0 && v.sign == .minus { p[0] = UInt8(ascii: "-"); p[1] = UInt8(ascii: "0"); return 2 }
            return IntegerText.write(Int64(v), to: p)
        }
        if !v.isFinite { return writeNonFinite(v, to: p) }
        return Float32Text.write(v, to: p)
    }
}

extension Double: WireElement {
    public static var wireType: ElementType { .float64 }
    public static var maxTextLength: Int { 40 }
    @inline(__always) public static func write(_ v: Double, to p: UnsafeMutablePointer<UInt8>) -> Int {
        writeFloat(v, exactBelow: 9_007_199_254_740_992, to: p, room: 40) { Int(runtimeFloat64ToString($0, 40, v, false)) }
    }
}

extension Int64: WireElement {
    public static var wireType: ElementType { .int64 }
    public static var maxTextLength: Int { 20 }
    @inline(__always) public static func write(_ v: Int64, to p: UnsafeMutablePointer<UInt8>) -> Int { IntegerText.write(v, to: p) }
}
