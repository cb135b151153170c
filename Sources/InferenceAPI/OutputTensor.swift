import PoolCore
import TensorJSON

/// One output of an infer call: its values in the compute type, and how they go on the wire.
struct OutputTensor {
    /// Values as computed.
    enum Values {
        case float([Float]), double([Double]), int64([Int64])
    }

    let name: String
    /// The wire type the values are written as.
    let datatype: TensorDataType
    let shape: [Int]
    /// Whether it goes as binary data after the JSON header (else as JSON `data`).
    let binary: Bool
    let values: Values

    /// Bytes of its binary data.
    var byteCount: Int { shape.reduce(1, *) * (datatype.byteSize ?? 0) }

    /// Writes its binary data at `out` (room for ``byteCount`` bytes).
    func encode(into out: UnsafeMutableRawPointer) {
        switch values {
        case .float(let v): Float.encode(v, as: datatype, into: out)
        case .double(let v): Double.encode(v, as: datatype, into: out)
        case .int64(let v): copyOut(v, into: out)
        }
    }

    /// Its values as one flat JSON array.
    var json: [UInt8] {
        switch values {
        case .float(let v): return Float.jsonArray(v, as: datatype)
        case .double(let v): return Double.jsonArray(v, as: datatype)
        case .int64(let v): return TensorCodec.flatArray(v)
        }
    }
}
