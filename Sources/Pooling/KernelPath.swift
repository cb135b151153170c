/// Which kernel layer computes a call: decided once, here, from the geometry, the element type
/// and the op, the way ATen's max-pool kernel switches once on the memory format.
///
/// - ``channelsLast``: channels_last tensors with fixed windows (lanes over channels).
/// - ``rows``: channels_first tensors with fixed windows, every op but lp (lanes along the output
///   row; strides other than 1 and 2 column by column).
/// - ``general``: everything else: adaptive and global windows, `ties: split`, lp on
///   channels_first, element types other than `Float` and `Double`, `Float` planes of 2³¹ cells
///   or more. It is also the reference the tests hold the other two to.
enum KernelPath {
    case rows(RowKernel)
    case channelsLast(ChannelsLastKernel)
    case general

    /// What a call computes, as far as the choice of path cares.
    enum Op {
        case max(MaxOptions)
        case maxFromIndices
        case avg
        case lp
    }

    init<T: PoolScalar>(_ g: PoolGeometry, _: T.Type, _ op: Op) {
        self = .general
        guard T.self == Float.self || T.self == Double.self, let windows = RowWindows(g) else { return }
        if case .max(let options) = op, options.ties == .split { return }
        if T.self == Float.self && windows.inPlane > SIMD8<Float>.maxPlane { return }
        switch g.layout {
        case .channelsLast:
            self = .channelsLast(ChannelsLastKernel(windows: windows, channels: g.channels))
        case .channelsFirst:
            if case .lp = op { return }
            self = .rows(RowKernel(windows: windows))
        }
    }

    /// Runs `call` on this path, with the lane type of its element type, the rule type of its
    /// max options and the lane stride of its rows.
    func run<C: KernelCall>(_ call: C) {
        switch self {
        case .general:
            call.general()
        case .rows(let kernel):
            if C.Element.self == Float.self { Self.rows(call, kernel, SIMD8<Float>.self) } else { Self.rows(call, kernel, SIMD4<Double>.self) }
        case .channelsLast(let kernel):
            if C.Element.self == Float.self { Self.channelsLast(call, kernel, SIMD8<Float>.self) } else { Self.channelsLast(call, kernel, SIMD4<Double>.self) }
        }
    }

    private static func rows<C: KernelCall, V: Lanes>(_ call: C, _ kernel: RowKernel, _ v: V.Type) {
        switch call.rule {
        case .none, .first: rows(call, kernel, v, FirstPropagate.self)
        case .last: rows(call, kernel, v, LastPropagate.self)
        case .firstIgnore: rows(call, kernel, v, FirstIgnore.self)
        case .lastIgnore: rows(call, kernel, v, LastIgnore.self)
        }
    }

    private static func rows<C: KernelCall, V: Lanes, R: MaxRule>(_ call: C, _ kernel: RowKernel, _ v: V.Type, _ r: R.Type) {
        if kernel.windows.strideX == 2 { call.rows(kernel, v, r, DoubleStride.self) } else { call.rows(kernel, v, r, UnitStride.self) }
    }

    private static func channelsLast<C: KernelCall, V: Lanes>(_ call: C, _ kernel: ChannelsLastKernel, _ v: V.Type) {
        switch call.rule {
        case .none, .first: call.channelsLast(kernel, v, FirstPropagate.self)
        case .last: call.channelsLast(kernel, v, LastPropagate.self)
        case .firstIgnore: call.channelsLast(kernel, v, FirstIgnore.self)
        case .lastIgnore: call.channelsLast(kernel, v, LastIgnore.self)
        }
    }
}

/// The max rule a call selects by, as ``KernelPath/run(_:)`` dispatches on it.
enum RuleChoice {
    /// Not a max call.
    case none
    case first, last, firstIgnore, lastIgnore

    init(_ options: MaxOptions) {
        switch (options.ties == .last, options.nan == .propagate) {
        case (false, true): self = .first
        case (true, true): self = .last
        case (false, false): self = .firstIgnore
        case (true, false): self = .lastIgnore
        }
    }
}

/// One call as the kernel layers see it: its element type, its rule, and what it does on each path.
protocol KernelCall {
    associatedtype Element: PoolScalar
    /// The max rule (``RuleChoice/none`` for avg and lp).
    var rule: RuleChoice { get }
    /// The call on the channels_first row layer, with lanes `V`, rule `R` and lane stride `S`.
    func rows<V: Lanes, R: MaxRule, S: LaneStride>(_ kernel: RowKernel, _: V.Type, _: R.Type, _: S.Type)
    /// The call on the channels_last layer.
    func channelsLast<V: Lanes, R: MaxRule>(_ kernel: ChannelsLastKernel, _: V.Type, _: R.Type)
    /// The call on the general N-d path.
    func general()
}

extension KernelCall {
    /// `p` as a pointer to the lanes' element type (the same type: ``KernelPath/run(_:)`` picks
    /// `V` from `Element`).
    @inline(__always)
    func cast<V: Lanes>(_ p: UnsafePointer<Element>, _: V.Type) -> UnsafePointer<V.Scalar> {
        UnsafeRawPointer(p).assumingMemoryBound(to: V.Scalar.self)
    }

    @inline(__always)
    func cast<V: Lanes>(_ p: UnsafeMutablePointer<Element>, _: V.Type) -> UnsafeMutablePointer<V.Scalar> {
        UnsafeMutableRawPointer(p).assumingMemoryBound(to: V.Scalar.self)
    }
}

extension ChannelsLastKernel {
    /// Calls `body(n, rows)` for each sample n and range of its output rows that `units` (a
    /// range of n·outRows + q) covers.
    @inline(__always)
    func forEachSampleRows(_ units: Range<Int>, _ body: (Int, Range<Int>) -> Void) {
        let outRows = windows.outRows
        var u = units.lowerBound
        while u < units.upperBound {
            let n = u / outRows
            let end = min(units.upperBound, (n + 1) * outRows)
            body(n, (u - n * outRows)..<(end - n * outRows))
            u = end
        }
    }
}
