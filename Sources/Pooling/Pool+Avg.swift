extension Pool {
    /// The divisor of one average window: `divisorOverride`, else the padded cell count
    /// (`countIncludePad`, fixed windows only: real and padded cells up to the padded border,
    /// never ceil mode's overhang) or the real cell count.
    @inline(__always)
    static func divisor(_ options: AvgOptions, real: Int, padded: Int, fixed: Bool) -> Double {
        if let d = options.divisorOverride { return Double(d) }
        return Double(options.countIncludePad && fixed ? padded : real)
    }

    /// Average pooling forward: each window's sum over its real cells (kept in `Double`, in
    /// row-major order), divided by its divisor and rounded to `T`.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func avgForward<T: PoolScalar>(_ input: [T], geometry g: PoolGeometry, options: AvgOptions,
                                                 cancellation: Cancellation? = nil) -> [T] {
        var output: [T] = uninitialized(g.outputCount)
        input.withUnsafeBufferPointer { xb in
        output.withUnsafeMutableBufferPointer { yb in
            let call = AvgForwardCall(geometry: g, options: options, x: xb.baseAddress!, y: yb.baseAddress!, cancellation: cancellation)
            KernelPath(g, T.self, .avg).run(call)
        }}
        return output
    }

    /// Average pooling backward: each window's gradient divided by its divisor (rounded to `T`)
    /// goes to each of its real cells, summed in output order where windows overlap.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func avgBackward<T: PoolScalar>(gradOutput: [T], geometry g: PoolGeometry, options: AvgOptions,
                                                  cancellation: Cancellation? = nil) -> [T] {
        var grad: [T] = uninitialized(g.inputCount)
        gradOutput.withUnsafeBufferPointer { gb in
        grad.withUnsafeMutableBufferPointer { rb in
            let call = AvgBackwardCall(geometry: g, options: options, gy: gb.baseAddress!, grad: rb.baseAddress!, cancellation: cancellation)
            KernelPath(g, T.self, .avg).run(call)
        }}
        return grad
    }
}
