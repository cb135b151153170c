import Pooling

/// Checks that a request's parameters fit together and with the input's shape, and turns them
/// into a ``PoolJob``. Every problem is recorded; nothing is computed unless there are none.
enum RequestValidator {
    /// The job for `p` over an input of `inputShape` (nil when the input itself was unreadable:
    /// then only the shape-free checks run).
    /// - Parameter present: the fields the request gave (valid or not), for the checks of which
    ///   fields go together.
    static func job(_ p: PoolParameters, present: Set<String>, inputShape: [Int]?, inputPointer: JSONPointer,
                    limits: Limits, problems: inout ProblemList) -> PoolJob? {
        let root = JSONPointer.root
        let mode = p.mode ?? .max
        let before = problems.count
        let modeKnown = p.mode != nil || !present.contains("mode")
        func only(_ field: String, _ wanted: PoolMode) {
            if modeKnown && present.contains(field) && mode != wanted {
                problems.add(root / field, "applies only to mode \"\(wanted.rawValue)\", not \"\(mode.rawValue)\"")
            }
        }
        only("p", .lp)
        only("countIncludePad", .avg)
        only("divisorOverride", .avg)
        only("ties", .max)
        only("nan", .max)
        only("indexSpace", .max)
        if let value = p.p, !(value > 0) { problems.add(root / "p", "must be > 0, got \(value)") }
        if let parts = p.returnParts, modeKnown, mode != .max {
            for (k, part) in parts.enumerated() where part != .output {
                problems.add(root / "return" / k, "\"\(part.rawValue)\" exists only for mode \"max\"")
            }
        }
        let window = windowChoice(p, present: present, problems: &problems)

        // The number of spatial dims: from the input, else from the first list parameter.
        let lists: [(JSONPointer, Int)] = [("kernelSize", p.kernelSize), ("stride", p.stride), ("dilation", p.dilation), ("outputSize", p.outputSize)]
            .compactMap { name, v in if case .list(let l)? = v { return (root / name, l.count) } else { return nil } }
            + paddingLengths(p.padding)
        let d = inputShape.map { $0.count - 2 } ?? lists.first?.1
        if let d, let shape = inputShape, d < 1 {
            problems.add(inputPointer, "must have rank ≥ 3 (N, C and at least one spatial dimension), got shape \(shape)")
        } else if let d {
            for (pointer, count) in lists where count != d {
                problems.add(pointer, "has \(count) values but the input has \(d) spatial dimension(s)")
            }
        }
        guard problems.count == before, let d, let inputShape, let window else { return nil }

        let spec: WindowSpec
        switch window {
        case .global: spec = .global
        case .adaptive: spec = .adaptive(outputSize: p.outputSize!.expanded(to: d))
        case .fixed:
            let kernel = p.kernelSize!.expanded(to: d)
            spec = .fixed(kernel: kernel, stride: p.stride?.expanded(to: d) ?? kernel, padding: padding(p.padding, d),
                          dilation: p.dilation?.expanded(to: d) ?? Array(repeating: 1, count: d), ceilMode: p.ceilMode ?? false)
        }
        let geometry: PoolGeometry
        do {
            geometry = try PoolGeometry(inputShape: inputShape, layout: p.layout ?? .channelsFirst, window: spec,
                                        maxOutputElements: limits.maxElements)
        } catch {
            report(error, p, inputPointer: inputPointer, limits: limits, problems: &problems)
            return nil
        }
        guard geometry.work <= limits.maxWork else {
            problems.addLimit(root, "the request needs \(geometry.work) window-cell visits (\(geometry.outputCount) outputs × \(geometry.windowCells) cells), above the limit of \(limits.maxWork) (raise it with --max-work)")
            return nil
        }
        let function: PoolJob.Function
        switch mode {
        case .max: function = .max(MaxOptions(ties: p.ties ?? .first, nan: p.nan ?? .propagate, indexSpace: p.indexSpace ?? .plane))
        case .avg: function = .avg(AvgOptions(countIncludePad: p.countIncludePad ?? true, divisorOverride: p.divisorOverride))
        case .lp: function = .lp(p: p.p ?? 2)
        }
        let wanted = p.returnParts ?? (mode == .max ? ReturnPart.allCases : [.output])
        return PoolJob(function: function, geometry: geometry, dtype: p.dtype ?? .float32,
                       returns: ReturnPart.allCases.filter(wanted.contains), encoding: p.encoding)
    }

    private enum WindowChoice { case fixed, adaptive, global }

    /// Which window form the parameters ask for; records conflicting fields.
    private static func windowChoice(_ p: PoolParameters, present: Set<String>, problems: inout ProblemList) -> WindowChoice? {
        let fixedFields = ["kernelSize", "stride", "padding", "dilation", "ceilMode"]
        if p.global == true {
            for name in fixedFields + ["outputSize"] where present.contains(name) {
                problems.add(.root / name, "is not allowed with \"global\": true (one window over all spatial dims)")
            }
            return .global
        }
        if present.contains("outputSize") {
            for name in fixedFields where present.contains(name) {
                problems.add(.root / name, "is not allowed with \"outputSize\" (adaptive pooling)")
            }
            return p.outputSize == nil ? nil : .adaptive
        }
        if !present.contains("kernelSize") {
            problems.add(.root / "kernelSize", "is required unless \"outputSize\" or \"global\": true is given")
            return nil
        }
        return p.kernelSize == nil ? nil : .fixed
    }

    private static func paddingLengths(_ padding: PaddingValue?) -> [(JSONPointer, Int)] {
        let at = JSONPointer.root / "padding"
        switch padding {
        case .list(let l)?: return [(at, l.count)]
        case .explicit(let begin, let end)?: return [(at / "begin", begin.count), (at / "end", end.count)]
        default: return []
        }
    }

    private static func padding(_ value: PaddingValue?, _ d: Int) -> Padding {
        switch value {
        case nil: return .symmetric(Array(repeating: 0, count: d))
        case .int(let v)?: return .symmetric(Array(repeating: v, count: d))
        case .list(let l)?: return .symmetric(l)
        case .explicit(let begin, let end)?: return .explicit(begin: begin, end: end)
        case .named(.valid)?: return .valid
        case .named(.same)?: return .same
        case .named(.sameLower)?: return .sameLower
        }
    }

    /// Records a geometry error at the field most responsible for it.
    private static func report(_ error: GeometryError, _ p: PoolParameters, inputPointer: JSONPointer, limits: Limits,
                               problems: inout ProblemList) {
        func at(_ field: String, _ value: Any?) -> JSONPointer {
            var pointer = JSONPointer.root / field
            if let axis = error.axis {
                if case .list? = value as? IntOrList { pointer = pointer / axis }
                if case .list? = value as? PaddingValue { pointer = pointer / axis }
            }
            return pointer
        }
        switch error.kind {
        case .rank, .emptyDimension:
            problems.add(inputPointer, error.message)
        case .tooLarge:
            problems.addLimit(.root, error.message + " (raise it with --max-elements)")
        case .emptyOutput:
            problems.add(p.outputSize != nil ? at("outputSize", p.outputSize) : at("kernelSize", p.kernelSize), error.message)
        case .windowOutsideInput:
            problems.add(p.padding != nil ? at("padding", p.padding) : at("dilation", p.dilation), error.message)
        }
    }
}
