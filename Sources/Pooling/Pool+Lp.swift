#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Pool {
    /// The Lp norm (Σ|x|^p)^(1/p) of a window, computed as m·(Σ(|x|/m)^p)^(1/p) with m the
    /// window's largest |x|, so that large p does not overflow. NaN if any cell is NaN; m when m
    /// is 0 or ∞; Σ|x| for p = 1; m·√Σ(|x|/m)² for p = 2.
    @inline(__always)
    static func lpNorm<T: PoolScalar>(_ taps: UnsafeBufferPointer<Int>, _ x: UnsafePointer<T>, _ es: Int, p: Double) -> Double {
        var m = 0.0
        for s in taps {
            let a = Swift.abs(x[s * es].double)
            if a.isNaN { return .nan }
            m = Swift.max(m, a)
        }
        if m == 0 || m.isInfinite { return m }
        if p == 1 {
            var sum = 0.0
            for s in taps { sum += Swift.abs(x[s * es].double) }
            return sum
        }
        var sum = 0.0
        for s in taps { sum += pow(Swift.abs(x[s * es].double) / m, p) }
        return p == 2 ? m * sum.squareRoot() : m * pow(sum, 1 / p)
    }

    /// Lp pooling forward: y = (Σ|x|^p)^(1/p) over each window's real cells (``lpNorm(_:_:_:p:)``).
    ///
    /// With `absolute` false it is PyTorch's `lp_pool`: y = (f·Σxᵖ)^(1/p) with no absolute value
    /// (so p = 1 is the plain window sum, and an odd p over a negative sum, or a non-integer p
    /// over a negative cell, gives NaN), where f = kernel cells / cells inside the input scales
    /// a window that ceil mode cut short (PyTorch computes lp as the kernel size times an
    /// average).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func lpForward<T: PoolScalar>(_ input: [T], geometry g: PoolGeometry, p: Double, absolute: Bool = true,
                                                cancellation: Cancellation? = nil) -> [T] {
        var output: [T] = uninitialized(g.outputCount)
        input.withUnsafeBufferPointer { xb in
        output.withUnsafeMutableBufferPointer { yb in
            guard absolute else {
                GeneralPath(g).signedLpForward(xb.baseAddress!, yb.baseAddress!, p: p, cancellation: cancellation)
                return
            }
            let call = LpForwardCall(geometry: g, p: p, x: xb.baseAddress!, y: yb.baseAddress!, cancellation: cancellation)
            KernelPath(g, T.self, .lp).run(call)
        }}
        return output
    }

    /// Lp pooling backward: ∂y/∂x_i = sign(x_i)·(|x_i|/y)^(p−1), 0 where y = 0 or x_i = 0, NaN
    /// where x_i is NaN, times the window's gradient, summed where windows overlap.
    ///
    /// With `absolute` false, PyTorch's `lp_pool` gradient: with U = f·Σxᵖ (see
    /// ``lpForward(_:geometry:p:absolute:cancellation:)``), ∂y/∂x_i = f·U^(1/p−1)·x_iᵖ⁻¹, 0 for
    /// every cell of a window whose U is 0 and NaN for every cell of one whose U is NaN (as
    /// PyTorch's autograd gives them).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func lpBackward<T: PoolScalar>(gradOutput: [T], input: [T], geometry g: PoolGeometry, p: Double, absolute: Bool = true,
                                                 cancellation: Cancellation? = nil) -> [T] {
        var grad: [T] = uninitialized(g.inputCount)
        input.withUnsafeBufferPointer { xb in
        gradOutput.withUnsafeBufferPointer { gb in
        grad.withUnsafeMutableBufferPointer { rb in
            guard absolute else {
                rb.baseAddress!.initialize(repeating: 0, count: g.inputCount)
                GeneralPath(g).signedLpBackward(xb.baseAddress!, gb.baseAddress!, rb.baseAddress!, p: p, cancellation: cancellation)
                return
            }
            let call = LpBackwardCall(geometry: g, p: p, x: xb.baseAddress!, gy: gb.baseAddress!, grad: rb.baseAddress!, cancellation: cancellation)
            KernelPath(g, T.self, .lp).run(call)
        }}}
        return grad
    }
}
