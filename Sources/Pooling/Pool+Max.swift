/// What max pooling's forward pass returns.
public struct MaxForwardResult<T: PoolScalar>: Sendable {
    /// The pooled values, in the geometry's output shape.
    public var output: [T]
    /// The selected cells, in the requested index space (when asked for).
    public var indices: [Int64]?
    /// Per input cell, how many windows selected it; with ties `split`, its summed gradient
    /// share from a unit gradOutput (when asked for).
    public var mask: [T]?
}

/// An index that cannot have come from a forward pass over the same geometry.
public struct IndexError: Error, Equatable, Sendable {
    /// The position in the indices tensor.
    public let position: Int
    public let value: Int64
    public let message: String
}

extension Pool {
    /// An array of `count` elements that the kernels overwrite completely (large ones in huge
    /// pages: ``HugePages``).
    @inline(__always)
    static func uninitialized<E>(_ count: Int) -> [E] {
        [E](unsafeUninitializedCapacity: count) { buffer, initialized in
            HugePages.advise(UnsafeMutableRawBufferPointer(buffer))
            initialized = count
        }
    }

    /// Max pooling forward: each window's maximum under `options`' tie and NaN rules (scan
    /// order: row-major over the kernel offsets; `propagate` selects a window's last NaN), its
    /// cell as an index, and per input cell the number of windows that selected it.
    ///
    /// With a `cancellation` set while it runs, the call returns early with unspecified results.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func maxForward<T: PoolScalar>(_ input: [T], geometry g: PoolGeometry, options: MaxOptions,
                                                 indices wantIndices: Bool = true, mask wantMask: Bool = true,
                                                 cancellation: Cancellation? = nil) -> MaxForwardResult<T> {
        var output: [T] = uninitialized(g.outputCount)
        var indices: [Int64] = uninitialized(wantIndices ? g.outputCount : 0)
        var mask: [T] = uninitialized(wantMask ? g.inputCount : 0)
        input.withUnsafeBufferPointer { xb in
        output.withUnsafeMutableBufferPointer { yb in
        indices.withUnsafeMutableBufferPointer { ib in
        mask.withUnsafeMutableBufferPointer { mb in
            // An empty array's buffer may still have a base address (the shared empty storage):
            // whether to write indices and mask is decided by the flags, never by the pointers.
            let call = MaxForwardCall(geometry: g, options: options, x: xb.baseAddress!, y: yb.baseAddress!,
                                      indices: wantIndices ? ib.baseAddress : nil, mask: wantMask ? mb.baseAddress : nil,
                                      cancellation: cancellation)
            KernelPath(g, T.self, .max(options)).run(call)
        }}}}
        return MaxForwardResult(output: output, indices: wantIndices ? indices : nil, mask: wantMask ? mask : nil)
    }

    /// Max pooling backward from the input: each window's gradient goes to its selected cell
    /// (with ties `split`, shared equally among its tied maxima), summed where windows overlap.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func maxBackward<T: PoolScalar>(gradOutput: [T], input: [T], geometry g: PoolGeometry,
                                                  options: MaxOptions, cancellation: Cancellation? = nil) -> [T] {
        var grad: [T] = uninitialized(g.inputCount)
        input.withUnsafeBufferPointer { xb in
        gradOutput.withUnsafeBufferPointer { gb in
        grad.withUnsafeMutableBufferPointer { rb in
            let call = MaxBackwardCall(geometry: g, options: options, x: xb.baseAddress!, gy: gb.baseAddress!, grad: rb.baseAddress!,
                                       cancellation: cancellation)
            KernelPath(g, T.self, .max(options)).run(call)
        }}}
        return grad
    }

    /// Max pooling backward from a forward pass's indices (in `indexSpace`): gradOutput[o] is
    /// added at indices[o]. Throws for the first index (in flat order) outside its own window.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func maxBackward<T: PoolScalar>(gradOutput: [T], indices: [Int64], geometry g: PoolGeometry,
                                                  indexSpace: IndexSpace, cancellation: Cancellation? = nil) throws(IndexError) -> [T] {
        var grad: [T] = uninitialized(g.inputCount)
        let firstBad = indices.withUnsafeBufferPointer { ib in
            gradOutput.withUnsafeBufferPointer { gb in
                grad.withUnsafeMutableBufferPointer { rb in
                    let call = IndexBackwardCall(geometry: g, indexSpace: indexSpace, indices: ib.baseAddress!, gy: gb.baseAddress!,
                                                 grad: rb.baseAddress!, cancellation: cancellation)
                    KernelPath(g, T.self, .maxFromIndices).run(call)
                    return call.firstBad
                }
            }
        }
        if let at = firstBad {
            throw IndexError(position: at, value: indices[at],
                             message: "index \(indices[at]) is not a cell of the window of output element \(at)")
        }
        return grad
    }
}
