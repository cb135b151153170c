import Pooling
import RequestDecoding

/// Checks what needs several fields of a decoded request together, or the input's shape, and
/// turns the request into a ``PoolJob``. Every problem is recorded; nothing is computed unless
/// there are none. (Each field's own type and range were checked by decoding.)
public enum RequestValidator {
    /// The job of `r`, or nil with every problem recorded (the decoding problems first).
    public static func validate(_ r: PoolRequest, limits: Limits) -> (PoolJob?, ProblemList) {
        var problems = r.decodeProblems
        var job: PoolJob?
        switch r.kind {
        case .forward: job = forward(r, limits: limits, problems: &problems)
        case .backward, .both: job = backward(r, limits: limits, problems: &problems)
        }
        return (problems.isEmpty ? job : nil, problems)
    }

    /// The problems of parameters on their own, before any input is known (a layer that fixes
    /// its parameters is checked when it is loaded): `decodeProblems` and the shape-free rules.
    public static func shapeFreeProblems(_ p: PoolParameters, decodeProblems: ProblemList) -> ProblemList {
        var problems = decodeProblems
        _ = job(p, fields: Fields(decodeProblems: decodeProblems, values: p.decodedFields), returnParts: nil, inputShape: nil,
                inputPointer: .root, limits: Limits(), problems: &problems)
        return problems
    }

    /// The fields `r` gave (valid or not).
    static func fields(_ r: PoolRequest) -> Fields {
        var values = r.parameters.decodedFields
        values["input"] = r.input != nil
        values["return"] = r.returnParts != nil
        values["gradOutput"] = r.gradOutput != nil
        values["indices"] = r.indices != nil
        values["inputShape"] = r.inputShape != nil
        return Fields(decodeProblems: r.decodeProblems, values: values)
    }

    /// The job of a forward request.
    static func forward(_ r: PoolRequest, limits: Limits, problems: inout ProblemList) -> PoolJob? {
        let fields = fields(r)
        if !fields.given("input") { problems.add(.root / "input", "is required") }
        return job(r.parameters, fields: fields, returnParts: r.returnParts, inputShape: r.input?.shape, inputPointer: .root / "input",
                   computeType: r.defaultComputeType, limits: limits, problems: &problems)
    }

    /// The job of `p` over an input of `inputShape` (nil when the input itself was unreadable:
    /// then only the shape-free checks run).
    static func job(_ given: PoolParameters, fields: Fields, returnParts: [ReturnPart]?, inputShape: [Int]?, inputPointer: JSONPointer,
                    direction: WorkCost.Direction = .forward, computeType: ComputeType = .float32, limits: Limits,
                    problems: inout ProblemList) -> PoolJob? {
        let root = JSONPointer.root
        var p = given
        let mode = p.mode ?? .max
        let before = problems.count
        let modeKnown = p.mode != nil || !fields.given("mode")
        func only(_ field: String, _ wanted: PoolMode) {
            if modeKnown && fields.given(field) && mode != wanted {
                problems.add(root / field, "applies only to mode \"\(wanted.rawValue)\", not \"\(mode.rawValue)\"")
            }
        }
        only("p", .lp)
        only("countIncludePad", .avg)
        only("divisorOverride", .avg)
        only("ties", .max)
        only("nan", .max)
        only("indexSpace", .max)
        only("indexOrder", .max)
        only("lpAbs", .lp)
        only("fractional", .max)
        if let parts = returnParts, modeKnown, mode != .max {
            for (k, part) in parts.enumerated() where part != .output {
                problems.add(root / "return" / k, "\"\(part.rawValue)\" exists only for mode \"max\"")
            }
        }
        // The number of spatial dims: from the input, else from the first list parameter.
        let lists = listLengths(p)
        let d = inputShape.map { $0.count - 2 } ?? lists.first?.1
        let sizes = inputShape.map { shape in (p.layout ?? .channelsFirst) == .channelsFirst ? Array(shape.dropFirst(2)) : Array(shape.dropFirst().dropLast()) }
        // A rank below 3 is refused below; the convention checks see no spatial dims then.
        let spatial = d.flatMap { $0 >= 1 ? $0 : nil }
        let convention = resolveConvention(&p, mode: mode, fields: fields, returnParts: returnParts, direction: direction,
                                           spatialDims: spatial, spatialSizes: spatial == nil ? nil : sizes, problems: &problems)
        let window = windowChoice(p, fields: fields, problems: &problems)
        if let d, let shape = inputShape, d < 1 {
            problems.add(inputPointer, "must have rank ≥ 3 (N, C and at least one spatial dimension), got shape \(shape)")
        } else if let d {
            for (pointer, count) in lists where count != d {
                problems.add(pointer, "has \(count) values but the input has \(d) spatial dimension(s)")
            }
        }
        guard problems.count == before, let d, let inputShape, let window else { return nil }
        guard let inputCount = ElementCount.of(inputShape) else {
            problems.addLimit(inputPointer, "shape \(inputShape) has more elements than a 64-bit count holds, far above the limit of \(limits.maxElements) per tensor")
            return nil
        }
        guard inputCount <= limits.maxElements else {
            problems.addLimit(inputPointer, "shape \(inputShape) has more elements than the limit of \(limits.maxElements) per tensor (raise it with \(ServiceNames.Flag.maxElements))")
            return nil
        }

        let spec: WindowSpec
        var drawn: [Double]?
        if window == .fractional, let f = p.fractional {
            guard let (windows, samples) = fractionalWindows(p, f, inputShape: inputShape, d: d, computeType: p.dtype ?? computeType, limits: limits, problems: &problems) else { return nil }
            (spec, drawn) = (.fractional(windows), samples)
        } else {
            spec = windowSpec(window, p, d)
        }
        let geometry: PoolGeometry
        do {
            geometry = try PoolGeometry(inputShape: inputShape, layout: p.layout ?? .channelsFirst, window: spec,
                                        ceilRule: convention?.ceilRule ?? .dropStartingInPadding,
                                        allowsEmptyWindows: convention?.allowsEmptyWindows ?? false,
                                        maxOutputElements: limits.maxElements)
        } catch {
            report(error, p, inputPointer: inputPointer, limits: limits, problems: &problems)
            return nil
        }
        let weight = WorkCost.weight(mode, ties: p.ties, direction, conventionPath: convention?.kernelRules != nil)
        var (cost, overflow) = geometry.work.multipliedReportingOverflow(by: weight)
        if case .fractional(let windows) = spec, !windows.samePerPlane {
            // Every plane builds its own windows from its samples.
            let planes = geometry.batch * geometry.channels
            let (extra, o2) = planes.multipliedReportingOverflow(by: WorkCost.perPlaneWindows)
            (cost, overflow) = overflow || o2 ? (cost, true) : cost.addingReportingOverflow(extra)
        }
        guard !overflow, cost <= limits.maxWork else {
            let factor = weight == 1 ? "" : " × weight \(weight) for \(mode.rawValue)\(p.ties == .split ? " with ties split" : "") \(direction == .forward ? "forward" : direction == .backward ? "backward" : "forward and backward")"
            problems.addLimit(windowPointer(p), "the request costs \(overflow ? "more than \(Int.max)" : String(cost)) work units (\(geometry.outputCount) outputs × \(geometry.windowCells) window cells\(factor)), above the limit of \(limits.maxWork) (raise it with \(ServiceNames.Flag.maxWork))")
            return nil
        }
        let function: PoolJob.Function
        switch mode {
        case .max: function = .max(MaxOptions(ties: p.ties ?? .first, nan: p.nan ?? .propagate, indexSpace: p.indexSpace ?? .plane))
        case .avg: function = .avg(AvgOptions(countIncludePad: p.countIncludePad ?? true, divisorOverride: p.divisorOverride))
        case .lp: function = .lp(p: p.p ?? 2)
        }
        // A convention without indices for this call returns the output and the mask by default.
        let maxParts: [ReturnPart] = convention?.hasIndices == false ? [.output, .mask] : ReturnPart.allCases
        let wanted = returnParts ?? (mode == .max ? maxParts : [.output])
        return PoolJob(function: function, geometry: geometry, dtype: p.dtype ?? computeType,
                       returns: ReturnPart.allCases.filter(wanted.contains), indexOrder: p.indexOrder ?? .rowMajor,
                       lpAbsolute: p.lpAbs ?? true, drawnSamples: drawn, convention: convention)
    }

    /// The field that sets the windows' size: `outputSize`, `global` or `kernelSize`.
    static func windowPointer(_ p: PoolParameters) -> JSONPointer {
        if p.global == true { return .root / "global" }
        return .root / (p.outputSize != nil ? "outputSize" : "kernelSize")
    }

    /// The list parameters given, with their lengths, in the order the contract lists them.
    private static func listLengths(_ p: PoolParameters) -> [(JSONPointer, Int)] {
        let root = JSONPointer.root
        var lists: [(JSONPointer, Int)] = [("kernelSize", p.kernelSize), ("stride", p.stride), ("dilation", p.dilation), ("outputSize", p.outputSize)]
            .compactMap { name, v in v?.listCount.map { (root / name, $0) } }
        switch p.padding {
        case .list(let l)?: lists.append((root / "padding", l.count))
        case .explicit(let begin, let end)?: lists += [(root / "padding" / "begin", begin.count), (root / "padding" / "end", end.count)]
        default: break
        }
        return lists
    }
}
