import PoolCore
import TensorJSON
import Pooling

/// The types a pooling layer computes in (`Float`, `Double`), with their conversions from and to
/// the wire types of the inference protocol: binary data read straight into the tensor's
/// memory and written straight from it when the types agree, converted element by element when
/// they do not; JSON data through the native tensor reader and writer.
package protocol InferenceScalar: PoolScalar {
    /// The values of `count` little-endian elements of `type` at `raw` (any alignment), or a
    /// message naming the first element that the compute type cannot hold.
    static func decode(_ raw: UnsafeRawBufferPointer, as type: TensorDataType, count: Int) -> Result<[Self], InferenceError>
    /// Writes `values` as little-endian elements of `type` at `out` (room for `values.count`
    /// elements of `type`; any alignment).
    static func encode(_ values: [Self], as type: TensorDataType, into out: UnsafeMutableRawPointer)
    /// JSON `data` read as this type (nil after recording the problems).
    static func readJSON(_ value: JSONValue, in document: JSONDocument, at pointer: JSONPointer, maxElements: Int,
                         problems: inout ProblemList) -> [Self]?
    /// The flat JSON array of `values` written as `type`'s values.
    static func jsonArray(_ values: [Self], as type: TensorDataType) -> [UInt8]
    /// `v` rounded to what `type` holds, in this type (for JSON data of a 16-bit input).
    static func rounded(_ v: Self, to type: TensorDataType) -> Self
    /// Output values of this type.
    static func wrap(_ v: [Self]) -> OutputTensor.Values
}

/// Copies `count` elements of `E` from `raw` into a new array (one `memcpy`; `raw` may be unaligned).
@inline(__always)
package func copied<E>(_ raw: UnsafeRawBufferPointer, count: Int, as _: E.Type) -> [E] {
    [E](unsafeUninitializedCapacity: count) { buffer, initialized in
        if count > 0 {
            UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: raw.baseAddress!, byteCount: count * MemoryLayout<E>.stride)
        }
        initialized = count
    }
}

/// Converts `count` elements read by `load(k)` into a new array.
@inline(__always)
package func converted<E>(count: Int, _ load: (Int) -> E) -> [E] {
    [E](unsafeUninitializedCapacity: count) { buffer, initialized in
        for k in 0..<count { (buffer.baseAddress! + k).initialize(to: load(k)) }
        initialized = count
    }
}

/// Writes `values` at `out` as `values.count` elements made by `store` (one memcpy when `store` is nil).
@inline(__always)
package func store<E, W>(_ values: [E], into out: UnsafeMutableRawPointer, as _: W.Type, _ make: (E) -> W) {
    values.withUnsafeBufferPointer { v in
        for k in 0..<v.count { out.storeBytes(of: make(v[k]), toByteOffset: k * MemoryLayout<W>.stride, as: W.self) }
    }
}

/// Writes `values` at `out` byte for byte.
@inline(__always)
package func copyOut<E>(_ values: [E], into out: UnsafeMutableRawPointer) {
    values.withUnsafeBytes { raw in
        if raw.count > 0 { out.copyMemory(from: raw.baseAddress!, byteCount: raw.count) }
    }
}

extension Float: InferenceScalar {
    package static func decode(_ raw: UnsafeRawBufferPointer, as type: TensorDataType, count: Int) -> Result<[Float], InferenceError> {
        switch type {
        case .fp32: return .success(copied(raw, count: count, as: Float.self))
        case .fp16: return .success(converted(count: count) { HalfPrecision.float(float16: raw.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self).littleEndian) })
        case .bf16: return .success(converted(count: count) { HalfPrecision.float(bfloat16: raw.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self).littleEndian) })
        case .fp64:
            let values = converted(count: count) { Float(Double(bitPattern: raw.loadUnaligned(fromByteOffset: 8 * $0, as: UInt64.self).littleEndian)) }
            if let k = values.firstIndex(where: { $0.isInfinite }) {
                let v = Double(bitPattern: raw.loadUnaligned(fromByteOffset: 8 * k, as: UInt64.self).littleEndian)
                if v.isFinite { return .failure(.badRequest("element \(k) (\(v)) is beyond the range of float32, the layer's dtype")) }
            }
            return .success(values)
        default: return .failure(.badRequest("datatype \(type.rawValue) cannot be read as float32"))
        }
    }

    package static func encode(_ values: [Float], as type: TensorDataType, into out: UnsafeMutableRawPointer) {
        switch type {
        case .fp16: store(values, into: out, as: UInt16.self) { HalfPrecision.float16($0).littleEndian }
        case .bf16: store(values, into: out, as: UInt16.self) { HalfPrecision.bfloat16($0).littleEndian }
        case .fp64: store(values, into: out, as: UInt64.self) { Double($0).bitPattern.littleEndian }
        default: copyOut(values, into: out)
        }
    }

    package static func readJSON(_ value: JSONValue, in document: JSONDocument, at pointer: JSONPointer, maxElements: Int,
                         problems: inout ProblemList) -> [Float]? {
        TensorCodec.read(value, in: document, at: pointer, maxElements: maxElements, as: Float.self, problems: &problems)?.values
    }

    package static func jsonArray(_ values: [Float], as type: TensorDataType) -> [UInt8] {
        switch type {
        case .fp16, .bf16: return TensorCodec.flatArray(values.map { TensorDataType.rounded($0, to: type) })
        case .fp64: return TensorCodec.flatArray(values.map(Double.init))
        default: return TensorCodec.flatArray(values)
        }
    }

    package static func rounded(_ v: Float, to type: TensorDataType) -> Float { TensorDataType.rounded(v, to: type) }

    package static func wrap(_ v: [Float]) -> OutputTensor.Values { .float(v) }
}

extension Double: InferenceScalar {
    package static func decode(_ raw: UnsafeRawBufferPointer, as type: TensorDataType, count: Int) -> Result<[Double], InferenceError> {
        switch type {
        case .fp64: return .success(copied(raw, count: count, as: Double.self))
        case .fp32: return .success(converted(count: count) { Double(Float(bitPattern: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self).littleEndian)) })
        case .fp16, .bf16: return Float.decode(raw, as: type, count: count).map { $0.map(Double.init) }
        default: return .failure(.badRequest("datatype \(type.rawValue) cannot be read as float64"))
        }
    }

    package static func encode(_ values: [Double], as type: TensorDataType, into out: UnsafeMutableRawPointer) {
        switch type {
        case .fp64: copyOut(values, into: out)
        case .fp32: store(values, into: out, as: UInt32.self) { Float($0).bitPattern.littleEndian }
        // Through float32, as PyTorch's conversions of a double tensor to half and bfloat16 go.
        case .fp16: store(values, into: out, as: UInt16.self) { HalfPrecision.float16(Float($0)).littleEndian }
        default: store(values, into: out, as: UInt16.self) { HalfPrecision.bfloat16(Float($0)).littleEndian }
        }
    }

    package static func readJSON(_ value: JSONValue, in document: JSONDocument, at pointer: JSONPointer, maxElements: Int,
                         problems: inout ProblemList) -> [Double]? {
        TensorCodec.read(value, in: document, at: pointer, maxElements: maxElements, as: Double.self, problems: &problems)?.values
    }

    package static func jsonArray(_ values: [Double], as type: TensorDataType) -> [UInt8] {
        switch type {
        case .fp64: return TensorCodec.flatArray(values)
        default: return TensorCodec.flatArray(values.map { TensorDataType.rounded(Float($0), to: type) })
        }
    }

    package static func rounded(_ v: Double, to type: TensorDataType) -> Double {
        type == .fp64 ? v : Double(TensorDataType.rounded(Float(v), to: type))
    }

    package static func wrap(_ v: [Double]) -> OutputTensor.Values { .double(v) }
}
