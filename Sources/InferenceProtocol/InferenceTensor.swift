import PoolCore
import TensorJSON

/// An input tensor of an infer call as the core reads it: binary data converted (or copied as
/// it is) from the body, or JSON `data` rounded to the input's datatype. Problems are recorded
/// at the core's pointer of its role (`/input`, `/gradOutput`, `/indices`), which the protocol's
/// errors name as the layer's input.
package struct InferenceTensor: TensorSource {
    package let input: InferenceRequest.Input
    /// The core's name of the tensor's role.
    package let role: String
    package let body: [UInt8]
    package let document: JSONDocument
    package let maxElements: Int

    package var shape: [Int] { input.shape }

    package func read(_: Float.Type, problems: inout ProblemList) -> [Float]? { values(Float.self, &problems) }
    package func read(_: Double.Type, problems: inout ProblemList) -> [Double]? { values(Double.self, &problems) }

    package func read(_: Int64.Type, problems: inout ProblemList) -> [Int64]? {
        let count = shape.reduce(1, *)
        if let range = input.binary {
            return body.withUnsafeBytes { copied(UnsafeRawBufferPointer(rebasing: $0[range]), count: count, as: Int64.self) }
        }
        guard let data = input.data,
              let v = TensorCodec.read(data, in: document, at: pointer, maxElements: maxElements, as: Int64.self, problems: &problems)?.values
        else { return nil }
        return counted(v, count, &problems)
    }

    package func pointer(ofElement position: Int) -> JSONPointer { pointer / "data" / position }

    private var pointer: JSONPointer { .root / role }

    private func values<T: InferenceScalar>(_: T.Type, _ problems: inout ProblemList) -> [T]? {
        let count = shape.reduce(1, *)
        if let range = input.binary {
            let decoded = body.withUnsafeBytes { T.decode(UnsafeRawBufferPointer(rebasing: $0[range]), as: input.datatype, count: count) }
            switch decoded {
            case .success(let v): return v
            case .failure(let e):
                problems.add(pointer, e.message)
                return nil
            }
        }
        guard let data = input.data, let read = T.readJSON(data, in: document, at: pointer / "data", maxElements: maxElements, problems: &problems),
              let v = counted(read, count, &problems) else { return nil }
        if input.datatype == .fp16 || input.datatype == .bf16 || (input.datatype == .fp32 && T.self == Double.self) {
            return v.map { T.rounded($0, to: input.datatype) }
        }
        return v
    }

    /// `v` when it has the shape's count of values.
    private func counted<E>(_ v: [E], _ count: Int, _ problems: inout ProblemList) -> [E]? {
        guard v.count == count else {
            problems.add(pointer, "\"data\" has \(v.count) values but shape \(shape) needs \(count)")
            return nil
        }
        return v
    }
}
