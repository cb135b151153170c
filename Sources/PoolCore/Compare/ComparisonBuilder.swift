import Pooling

/// Groups the answers of a comparison by agreement and lists, per pair that disagrees, the
/// differing cells under the rule that explains them (``RuleAttribution``).
struct ComparisonBuilder {
    let answers: [Comparison.Answer]
    let mode: PoolMode
    let dtype: ComputeType
    /// The input in its layout (for the attribution of cells to rules).
    let input: [Double]?

    static let tensors = ["output", "indices", "gradInput"]

    func build() -> Comparison {
        var agreement: [Comparison.Agreement] = []
        var differences: [Comparison.Difference] = []
        for tensor in Self.tensors {
            let present = answers.filter { values(tensor, $0) != nil }
            guard !present.isEmpty else { continue }
            var groups: [[Comparison.Answer]] = []
            for a in present {
                if let g = groups.firstIndex(where: { differingCells(tensor, $0[0], a, limit: 0).count == 0 && sameShape(tensor, $0[0], a) }) {
                    groups[g].append(a)
                } else {
                    groups.append([a])
                }
            }
            agreement.append(Comparison.Agreement(tensor: tensor, groups: groups.map { $0.map(\.convention) }))
            for g in groups.dropFirst() { differences += explain(tensor, groups[0][0], g[0]) }
        }
        return Comparison(answers: answers, agreement: agreement, differences: differences, dtype: dtype)
    }

    /// The tensor's values as compared: numbers, or (indices) the selected cell per output (−1: none).
    func values(_ tensor: String, _ a: Comparison.Answer) -> [Double]? {
        switch tensor {
        case "output": return a.output
        case "gradInput": return a.gradInput
        default:
            guard let indices = a.indices, let g = a.geometry, let form = a.setting?.indexForm else { return nil }
            let layout = TensorLayout(g.outputShape, g.layout)
            let dims = g.inputSpatial
            return indices.enumerated().map { k, v in
                let (n, c, _) = layout.split(k)
                return Double(form.cell(of: v, n: n, c: c, dims: dims, channels: g.channels) ?? -1)
            }
        }
    }

    func shape(_ tensor: String, _ a: Comparison.Answer) -> [Int] {
        tensor == "gradInput" ? a.geometry?.inputShape ?? [] : a.geometry?.outputShape ?? []
    }

    func sameShape(_ tensor: String, _ a: Comparison.Answer, _ b: Comparison.Answer) -> Bool { shape(tensor, a) == shape(tensor, b) }

    /// Whether two values agree: bit for bit for max and indices (any NaN equals any NaN),
    /// within float tolerance for avg and lp (float32 1e-5 relative, float64 1e-12).
    func same(_ tensor: String, _ x: Double, _ y: Double) -> Bool {
        if x.isNaN && y.isNaN { return true }
        if mode == .max || tensor == "indices" { return x.bitPattern == y.bitPattern }
        if x == y { return true }
        let tolerance = dtype == .float32 ? 1e-5 : 1e-12
        return (x - y).magnitude <= tolerance * Swift.max(x.magnitude, y.magnitude, 1e-6)
    }

    /// The flat positions where `a` and `b` differ (up to `limit` + 1 when `limit` > 0; any
    /// difference found stops at the first when `limit` is 0). Tensors of different shapes differ.
    func differingCells(_ tensor: String, _ a: Comparison.Answer, _ b: Comparison.Answer, limit: Int = .max) -> [Int] {
        guard let x = values(tensor, a), let y = values(tensor, b), x.count == y.count else { return [-1] }
        var out: [Int] = []
        for k in 0..<x.count where !same(tensor, x[k], y[k]) {
            out.append(k)
            if out.count > limit { break }
        }
        return out
    }

    /// The differences between `a` and `b` on `tensor`, one per rule that explains some cells.
    func explain(_ tensor: String, _ a: Comparison.Answer, _ b: Comparison.Answer) -> [Comparison.Difference] {
        let attribution = RuleAttribution(a: a, b: b, mode: mode, input: input)
        guard sameShape(tensor, a, b) else {
            return [Comparison.Difference(tensor: tensor, conventions: (a.convention, b.convention), rule: attribution.shapeRule,
                                          cells: [], cellCount: 0, shapes: (shape(tensor, a), shape(tensor, b)))]
        }
        let (x, y) = (values(tensor, a)!, values(tensor, b)!)
        let layout = TensorLayout(shape(tensor, a), a.geometry!.layout)
        var byRule: [(rule: String, cells: [(at: [Int], values: (Double, Double))], count: Int)] = []
        for k in differingCells(tensor, a, b) {
            let rule = tensor == "gradInput" ? attribution.ruleForInputCell(layout.split(k)) : attribution.ruleForWindow(layout.split(k))
            let i = byRule.firstIndex { $0.rule == rule } ?? { byRule.append((rule, [], 0)); return byRule.count - 1 }()
            byRule[i].count += 1
            if byRule[i].cells.count < Comparison.cellLimit { byRule[i].cells.append((layout.position(k), (x[k], y[k]))) }
        }
        return byRule.map {
            Comparison.Difference(tensor: tensor, conventions: (a.convention, b.convention), rule: $0.rule, cells: $0.cells,
                                  cellCount: $0.count, shapes: nil)
        }
    }
}

/// A tensor's shape in a layout: flat positions to (sample, channel, spatial index) and to positions.
struct TensorLayout {
    let shape: [Int]
    let layout: Layout

    init(_ shape: [Int], _ layout: Layout) {
        self.shape = shape
        self.layout = layout
    }

    var channels: Int { layout == .channelsFirst ? shape[1] : shape[shape.count - 1] }
    var plane: Int { shape.reduce(1, *) / (shape[0] * channels) }

    /// Sample, channel and row-major spatial index of flat position `k`.
    func split(_ k: Int) -> (n: Int, c: Int, s: Int) {
        let (cs, ps) = (channels, plane)
        return layout == .channelsFirst ? (k / (cs * ps), (k / ps) % cs, k % ps) : (k / (ps * cs), k % cs, (k / cs) % ps)
    }

    /// The position of flat index `k` in the shape.
    func position(_ k: Int) -> [Int] {
        var rest = k
        var at = [Int](repeating: 0, count: shape.count)
        for a in stride(from: shape.count - 1, through: 0, by: -1) { at[a] = rest % shape[a]; rest /= shape[a] }
        return at
    }

    /// The flat position of (n, c, s).
    func flat(n: Int, c: Int, s: Int) -> Int {
        layout == .channelsFirst ? (n * channels + c) * plane + s : (n * plane + s) * channels + c
    }
}
