/// A pooling function as a framework convention computes it.
public enum ConventionFunction: Sendable, Equatable {
    case max
    case avg
    case lp(p: Double)
}

extension Pool {
    /// The forward of `function` under a framework's `rules` (fixed or global windows): the
    /// output and, for max, indices in ``FrameworkRules/indexForm`` and the mask (how many
    /// windows selected each input cell).
    ///
    /// With a `cancellation` set while it runs, the call returns early with unspecified results.
    public static func conventionForward<T: PoolScalar>(_ input: [T], geometry g: PoolGeometry, function: ConventionFunction,
                                                        rules: FrameworkRules, indices wantIndices: Bool = true,
                                                        mask wantMask: Bool = true,
                                                        cancellation: Cancellation? = nil) -> MaxForwardResult<T> {
        let path = ConventionPath(g, rules: rules)
        var output = [T](repeating: 0, count: g.outputCount)
        let isMax = function == .max
        var indices = [Int64](repeating: 0, count: isMax && wantIndices ? g.outputCount : 0)
        var mask = [T](repeating: 0, count: isMax && wantMask ? g.inputCount : 0)
        input.withUnsafeBufferPointer { xb in
        output.withUnsafeMutableBufferPointer { yb in
        indices.withUnsafeMutableBufferPointer { ib in
        mask.withUnsafeMutableBufferPointer { mb in
            let (x, y) = (xb.baseAddress!, yb.baseAddress!)
            switch function {
            case .max:
                path.maxForward(x, y, indices: wantIndices ? ib.baseAddress : nil, mask: wantMask ? mb.baseAddress : nil,
                                cancellation: cancellation)
            case .avg: path.avgForward(x, y, cancellation: cancellation)
            case .lp(let p): path.lpForward(x, y, p: p, cancellation: cancellation)
            }
        }}}}
        return MaxForwardResult(output: output, indices: isMax && wantIndices ? indices : nil, mask: isMax && wantMask ? mask : nil)
    }

    /// The backward of `function` under `rules`: the gradient of the input (max and lp need it).
    public static func conventionBackward<T: PoolScalar>(gradOutput: [T], input: [T]?, geometry g: PoolGeometry,
                                                         function: ConventionFunction, rules: FrameworkRules,
                                                         cancellation: Cancellation? = nil) -> [T] {
        let path = ConventionPath(g, rules: rules)
        var grad = [T](repeating: 0, count: g.inputCount)
        let x = input ?? []
        precondition(function == .avg || x.count == g.inputCount, "max and lp backward need the input")
        x.withUnsafeBufferPointer { xb in
        gradOutput.withUnsafeBufferPointer { gb in
        grad.withUnsafeMutableBufferPointer { rb in
            let (gy, r) = (gb.baseAddress!, rb.baseAddress!)
            switch function {
            case .max: path.maxBackward(xb.baseAddress!, gy, r, cancellation: cancellation)
            case .avg: path.avgBackward(gy, r, cancellation: cancellation)
            case .lp(let p): path.lpBackward(xb.baseAddress!, gy, r, p: p, cancellation: cancellation)
            }
        }}}
        return grad
    }
}
