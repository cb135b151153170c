/// Element types a tensor can be read into: `Float`, `Double` and `Int64` (indices).
public protocol TensorElement: Sendable {
    /// The wire type of the same precision.
    static var elementType: ElementType { get }
    /// Zero, for preallocated buffers.
    static var zero: Self { get }
    /// Reads a JSON number, or says why it cannot.
    static func read(_ bytes: UnsafeBufferPointer<UInt8>, _ n: JSONNumber) -> Result<Self, NumberProblem>
    /// Reads a JSON number on the hot path: nil when it cannot (then ``read(_:_:)`` says why).
    static func value(_ bytes: UnsafeBufferPointer<UInt8>, _ n: JSONNumber) -> Self?
    /// Reads the checked JSON number at `offset`, which a separator (`,`, `]`, space) or `limit`
    /// ends, setting `end` past it: the conversion finds the number's end itself.
    static func value(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int, limit: Int, end: inout Int) -> Self?
    /// Reads one of the strings "NaN", "Infinity", "-Infinity" (nil for others or non-float types).
    static func special(_ s: String) -> Self?
    /// Appends the little-endian values of `type` in `raw` to `out`; returns why not when the
    /// type cannot convert or a value is out of range.
    static func append(_ raw: UnsafeRawBufferPointer, as type: ElementType, to out: inout [Self]) -> String?
    /// The value nearest `d` (for values a client holds as `Double`).
    static func fromDouble(_ d: Double) -> Self
}

extension TensorElement {
    public static func value(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int, limit: Int, end: inout Int) -> Self? {
        var k = offset
        while k < limit, !JSONSeparator.ends(bytes[k]) { k += 1 }
        end = k
        return value(bytes, JSONNumber(offset: offset, length: k - offset))
    }
}

/// The bytes that end a checked value inside an array.
enum JSONSeparator {
    /// Whether `b` is `,`, `[`, `]` or JSON white space (in checked text every byte ≤ 0x20 is).
    @inline(__always)
    static func ends(_ b: UInt8) -> Bool { b <= 0x20 || b == UInt8(ascii: ",") || b | 0x06 == 0x5F }
}

/// `Float` and `Double` as tensor elements.
protocol FloatTensorElement: TensorElement, BinaryFloatingPoint {}

extension FloatTensorElement {
    public static func fromDouble(_ d: Double) -> Self { Self(d) }

    public static func special(_ s: String) -> Self? {
        switch s {
        case "NaN": return .nan
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        default: return nil
        }
    }

    public static func append(_ raw: UnsafeRawBufferPointer, as type: ElementType, to out: inout [Self]) -> String? {
        let n = raw.count / type.size
        out.reserveCapacity(out.count + n)
        switch type {
        case .float16:
            for k in 0..<n { out.append(Self(HalfPrecision.float(float16: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * k, as: UInt16.self))))) }
        case .bfloat16:
            for k in 0..<n { out.append(Self(HalfPrecision.float(bfloat16: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * k, as: UInt16.self))))) }
        case .float32:
            for k in 0..<n { out.append(Self(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * k, as: UInt32.self))))) }
        case .float64:
            for k in 0..<n {
                let v = Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * k, as: UInt64.self)))
                let c = Self(v)
                if v.isFinite && !c.isFinite { return "element \(k) (\(v)) is beyond the range of \(elementType.rawValue)" }
                out.append(c)
            }
        case .int64:
            return "dtype int64 cannot be read as \(elementType.rawValue)"
        }
        return nil
    }
}

extension Float: FloatTensorElement {
    public static var elementType: ElementType { .float32 }
    public static var zero: Float { 0 }
    public static func read(_ bytes: UnsafeBufferPointer<UInt8>, _ n: JSONNumber) -> Result<Float, NumberProblem> {
        NumberConversion.float(bytes, n)
    }
    @inline(__always)
    public static func value(_ bytes: UnsafeBufferPointer<UInt8>, _ n: JSONNumber) -> Float? {
        let (v, status) = NumberConversion.floatValue(bytes, n)
        return status == NumberConversion.ok ? v : nil
    }
    @inline(__always)
    public static func value(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int, limit: Int, end: inout Int) -> Float? {
        let (v, status, after) = NumberConversion.floatValue(bytes, at: offset, limit: limit)
        end = after
        return status == NumberConversion.ok ? v : nil
    }
}

extension Double: FloatTensorElement {
    public static var elementType: ElementType { .float64 }
    public static var zero: Double { 0 }
    public static func read(_ bytes: UnsafeBufferPointer<UInt8>, _ n: JSONNumber) -> Result<Double, NumberProblem> {
        NumberConversion.double(bytes, n)
    }
    @inline(__always)
    public static func value(_ bytes: UnsafeBufferPointer<UInt8>, _ n: JSONNumber) -> Double? {
        let (v, status) = NumberConversion.doubleValue(bytes, n)
        return status == NumberConversion.ok ? v : nil
    }
    @inline(__always)
    public static func value(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int, limit: Int, end: inout Int) -> Double? {
        let (v, status, after) = NumberConversion.doubleValue(bytes, at: offset, limit: limit)
        end = after
        return status == NumberConversion.ok ? v : nil
    }
}

extension Int64: TensorElement {
    public static var elementType: ElementType { .int64 }
    public static var zero: Int64 { 0 }
    public static func read(_ bytes: UnsafeBufferPointer<UInt8>, _ n: JSONNumber) -> Result<Int64, NumberProblem> {
        NumberConversion.int64(bytes, n)
    }
    public static func value(_ bytes: UnsafeBufferPointer<UInt8>, _ n: JSONNumber) -> Int64? {
        if case .success(let v) = NumberConversion.int64(bytes, n) { return v }
        return nil
    }
    public static func special(_ s: String) -> Int64? { nil }
    public static func fromDouble(_ d: Double) -> Int64 { d.isFinite && d.magnitude < 9.2e18 ? Int64(d) : 0 }
    public static func append(_ raw: UnsafeRawBufferPointer, as type: ElementType, to out: inout [Int64]) -> String? {
        guard type == .int64 else { return "indices must have dtype int64, got \(type.rawValue)" }
        let n = raw.count / 8
        out.reserveCapacity(out.count + n)
        for k in 0..<n { out.append(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * k, as: Int64.self))) }
        return nil
    }
}
