import PoolCore
import TensorJSON

/// One output of an infer call: its values in the compute type, and how they go on the wire.
package struct OutputTensor {
    /// Values as computed.
    package enum Values {
        case float([Float]), double([Double]), int64([Int64])
    }

    package let name: String
    /// The wire type the values are written as.
    package let datatype: TensorDataType
    package let shape: [Int]
    /// Whether it goes as binary data after the JSON header (else as JSON `data`).
    package let binary: Bool
    package let values: Values

    /// Bytes of its binary data.
    package var byteCount: Int { shape.reduce(1, *) * (datatype.byteSize ?? 0) }

    /// Writes its binary data at `out` (room for ``byteCount`` bytes).
    package func encode(into out: UnsafeMutableRawPointer) {
        switch values {
        case .float(let v): Float.encode(v, as: datatype, into: out)
        case .double(let v): Double.encode(v, as: datatype, into: out)
        case .int64(let v): copyOut(v, into: out)
        }
    }

    /// Its values as one flat JSON array, non-finite values as the bare `NaN`, `Infinity` and
    /// `-Infinity` that Triton writes (the codec quotes them; a flat array of numbers has no
    /// other quote to drop).
    package var json: [UInt8] {
        switch values {
        case .float(let v): return Self.bare(Float.jsonArray(v, as: datatype), when: v.contains { !$0.isFinite })
        case .double(let v): return Self.bare(Double.jsonArray(v, as: datatype), when: v.contains { !$0.isFinite })
        case .int64(let v): return TensorCodec.flatArray(v)
        }
    }

    private static func bare(_ text: [UInt8], when nonFinite: Bool) -> [UInt8] {
        nonFinite ? text.filter { $0 != UInt8(ascii: "\"") } : text
    }
}
