@testable import Pooling

/// The general N-d path called directly, whatever path the dispatch would choose: the
/// reference the fast kernel layers are held to.
enum GeneralReference {
    static func maxForward<T: PoolScalar>(_ x: [T], _ g: PoolGeometry, _ options: MaxOptions) -> MaxForwardResult<T> {
        var y = [T](repeating: 0, count: g.outputCount)
        var indices = [Int64](repeating: 0, count: g.outputCount)
        var mask = [T](repeating: 0, count: g.inputCount)
        x.withUnsafeBufferPointer { xb in y.withUnsafeMutableBufferPointer { yb in
            indices.withUnsafeMutableBufferPointer { ib in mask.withUnsafeMutableBufferPointer { mb in
                MaxForwardCall(geometry: g, options: options, x: xb.baseAddress!, y: yb.baseAddress!, indices: ib.baseAddress!,
                               mask: mb.baseAddress!, cancellation: nil).general()
            }}
        }}
        return MaxForwardResult(output: y, indices: indices, mask: mask)
    }

    static func maxBackward<T: PoolScalar>(_ gy: [T], _ x: [T], _ g: PoolGeometry, _ options: MaxOptions) -> [T] {
        var grad = [T](repeating: 0, count: g.inputCount)
        x.withUnsafeBufferPointer { xb in gy.withUnsafeBufferPointer { gb in grad.withUnsafeMutableBufferPointer { rb in
            MaxBackwardCall(geometry: g, options: options, x: xb.baseAddress!, gy: gb.baseAddress!, grad: rb.baseAddress!, cancellation: nil).general()
        }}}
        return grad
    }

    static func maxBackward<T: PoolScalar>(_ gy: [T], indices: [Int64], _ g: PoolGeometry, _ space: IndexSpace) -> ([T], Int?) {
        var grad = [T](repeating: 0, count: g.inputCount)
        let bad = indices.withUnsafeBufferPointer { ib in gy.withUnsafeBufferPointer { gb in grad.withUnsafeMutableBufferPointer { rb in
            let call = IndexBackwardCall(geometry: g, indexSpace: space, indices: ib.baseAddress!, gy: gb.baseAddress!, grad: rb.baseAddress!, cancellation: nil)
            call.general()
            return call.firstBad
        }}}
        return (grad, bad)
    }

    static func avgForward<T: PoolScalar>(_ x: [T], _ g: PoolGeometry, _ options: AvgOptions) -> [T] {
        var y = [T](repeating: 0, count: g.outputCount)
        x.withUnsafeBufferPointer { xb in y.withUnsafeMutableBufferPointer { yb in
            AvgForwardCall(geometry: g, options: options, x: xb.baseAddress!, y: yb.baseAddress!, cancellation: nil).general()
        }}
        return y
    }

    static func avgBackward<T: PoolScalar>(_ gy: [T], _ g: PoolGeometry, _ options: AvgOptions) -> [T] {
        var grad = [T](repeating: 0, count: g.inputCount)
        gy.withUnsafeBufferPointer { gb in grad.withUnsafeMutableBufferPointer { rb in
            AvgBackwardCall(geometry: g, options: options, gy: gb.baseAddress!, grad: rb.baseAddress!, cancellation: nil).general()
        }}
        return grad
    }

    static func lpForward<T: PoolScalar>(_ x: [T], _ g: PoolGeometry, _ p: Double) -> [T] {
        var y = [T](repeating: 0, count: g.outputCount)
        x.withUnsafeBufferPointer { xb in y.withUnsafeMutableBufferPointer { yb in
            LpForwardCall(geometry: g, p: p, x: xb.baseAddress!, y: yb.baseAddress!, cancellation: nil).general()
        }}
        return y
    }

    static func lpBackward<T: PoolScalar>(_ gy: [T], _ x: [T], _ g: PoolGeometry, _ p: Double) -> [T] {
        var grad = [T](repeating: 0, count: g.inputCount)
        x.withUnsafeBufferPointer { xb in gy.withUnsafeBufferPointer { gb in grad.withUnsafeMutableBufferPointer { rb in
            LpBackwardCall(geometry: g, p: p, x: xb.baseAddress!, gy: gb.baseAddress!, grad: rb.baseAddress!, cancellation: nil).general()
        }}}
        return grad
    }

    /// The path the dispatch chooses.
    static func path<T: PoolScalar>(_ g: PoolGeometry, _: T.Type, max options: MaxOptions?) -> String {
        switch KernelPath(g, T.self, options.map { .max($0) } ?? .avg) {
        case .rows: return "rows"
        case .channelsLast: return "channelsLast"
        case .general: return "general"
        }
    }
}
