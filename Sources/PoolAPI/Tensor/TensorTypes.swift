import Pooling

/// The three ways a tensor is written on the wire.
public enum TensorEncoding: String, Codable, Sendable, CaseIterable {
    /// Nested arrays; rank is the nesting depth.
    case nested
    /// `{"shape": [...], "data": [...]}`, row-major.
    case flat
    /// `{"shape": [...], "dtype": "...", "b64": "..."}`, little-endian values in base64.
    case b64
}

/// Element types of tensors on the wire.
public enum ElementType: String, Codable, Sendable, CaseIterable {
    case float32, float64, int64

    /// Bytes per element.
    public var size: Int { self == .float32 ? 4 : 8 }
}

/// A tensor read from a request: its shape, values in the wanted type, and the form it came in.
public struct DecodedTensor<Element: Sendable>: Sendable {
    public var shape: [Int]
    public var values: [Element]
    public var encoding: TensorEncoding
}

/// Element types a tensor can be read into.
protocol TensorElement: Sendable {
    static var elementType: ElementType { get }
    /// Zero, for preallocated buffers.
    static var zero: Self { get }
    /// Reads a JSON number.
    static func read(_ bytes: UnsafeBufferPointer<UInt8>, _ n: JSONNumber) -> Result<Self, NumberProblem>
    /// Reads a JSON number on the hot path: nil when it cannot (then ``read(_:_:)`` says why).
    static func value(_ bytes: UnsafeBufferPointer<UInt8>, _ n: JSONNumber) -> Self?
    /// Reads one of the strings "NaN", "Infinity", "-Infinity" (nil for others or non-float types).
    static func special(_ s: String) -> Self?
    /// Converts little-endian bytes of `type` (nil when the type cannot convert, or the value
    /// is out of range).
    static func fromBytes(_ raw: UnsafeRawBufferPointer, as type: ElementType, into out: inout [Self]) -> String?
}

extension TensorElement where Self: PoolScalar {
    static func special(_ s: String) -> Self? {
        switch s {
        case "NaN": return .nan
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        default: return nil
        }
    }

    static func fromBytes(_ raw: UnsafeRawBufferPointer, as type: ElementType, into out: inout [Self]) -> String? {
        let n = raw.count / type.size
        out.reserveCapacity(n)
        switch type {
        case .float32:
            for k in 0..<n { out.append(Self(double: Double(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * k, as: UInt32.self)))))) }
        case .float64:
            for k in 0..<n {
                let v = Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * k, as: UInt64.self)))
                let c = Self(double: v)
                if v.isFinite && !c.isFinite { return "element \(k) (\(v)) is beyond the range of \(elementType.rawValue)" }
                out.append(c)
            }
        case .int64:
            return "dtype int64 cannot be read as \(elementType.rawValue)"
        }
        return nil
    }
}

extension Float: TensorElement {
    static var elementType: ElementType { .float32 }
    static func read(_ bytes: UnsafeBufferPointer<UInt8>, _ n: JSONNumber) -> Result<Float, NumberProblem> {
        NumberConversion.float(bytes, n)
    }
    @inline(__always)
    static func value(_ bytes: UnsafeBufferPointer<UInt8>, _ n: JSONNumber) -> Float? {
        let (v, status) = NumberConversion.floatValue(bytes, n)
        return status == NumberConversion.ok ? v : nil
    }
}

extension Double: TensorElement {
    static var elementType: ElementType { .float64 }
    static func read(_ bytes: UnsafeBufferPointer<UInt8>, _ n: JSONNumber) -> Result<Double, NumberProblem> {
        NumberConversion.double(bytes, n)
    }
    @inline(__always)
    static func value(_ bytes: UnsafeBufferPointer<UInt8>, _ n: JSONNumber) -> Double? {
        let (v, status) = NumberConversion.doubleValue(bytes, n)
        return status == NumberConversion.ok ? v : nil
    }
}

extension Int64: TensorElement {
    static var elementType: ElementType { .int64 }
    static var zero: Int64 { 0 }
    static func read(_ bytes: UnsafeBufferPointer<UInt8>, _ n: JSONNumber) -> Result<Int64, NumberProblem> {
        NumberConversion.int64(bytes, n)
    }
    static func value(_ bytes: UnsafeBufferPointer<UInt8>, _ n: JSONNumber) -> Int64? {
        if case .success(let v) = NumberConversion.int64(bytes, n) { return v }
        return nil
    }
    static func special(_ s: String) -> Int64? { nil }
    static func fromBytes(_ raw: UnsafeRawBufferPointer, as type: ElementType, into out: inout [Int64]) -> String? {
        guard type == .int64 else { return "indices must have dtype int64, got \(type.rawValue)" }
        let n = raw.count / 8
        out.reserveCapacity(n)
        for k in 0..<n { out.append(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * k, as: Int64.self))) }
        return nil
    }
}
