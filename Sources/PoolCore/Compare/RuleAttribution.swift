import Pooling

/// Which rule explains a cell where two conventions differ: among the rules the two resolve
/// differently, the first whose condition the cell's window meets, in this order —
/// `emptyWindow` (no real cell, or only NaN and −∞), `nan` (a NaN), `signedZero` (a −0),
/// `padding` (a padded tap), `ceilMode` (a tap past the padded border), `divisor` (avg with
/// padded or overhanging taps), `lp` (a negative cell), `ties` (equal maxima). A cell none
/// explains is put down to `arithmetic` (the order of a sum's roundings).
struct RuleAttribution {
    let candidates: [String]
    let inspector: WindowInspector?
    let layout: TensorLayout?
    let input: [Double]?
    let mode: PoolMode
    /// For each input spatial cell, the output windows that hold it as a real tap.
    let windowsOfCell: [[Int]]

    static let order = ["emptyWindow", "nan", "signedZero", "padding", "ceilMode", "divisor", "lp", "ties"]

    init(a: Comparison.Answer, b: Comparison.Answer, mode: PoolMode, input: [Double]?) {
        let (ra, rb) = (a.setting?.summary, b.setting?.summary)
        candidates = Self.order.filter { ra?[$0] != rb?[$0] }
        self.mode = mode
        self.input = input
        if let g = a.geometry {
            let inspector = WindowInspector(g)
            self.inspector = inspector
            layout = TensorLayout(g.inputShape, g.layout)
            var map = [[Int]](repeating: [], count: inspector.inputPlane)
            for o in 0..<inspector.outputPlane {
                for tap in inspector.taps(of: o) where tap.kind == .real { map[tap.cell].append(o) }
            }
            windowsOfCell = map
        } else {
            (inspector, layout, windowsOfCell) = (nil, nil, [])
        }
    }

    /// The rule of a difference in shape: ceil mode's when the two resolve it differently.
    var shapeRule: String { candidates.contains("ceilMode") ? "ceilMode" : "shape" }

    /// The rule for output cell (n, c, o).
    func ruleForWindow(_ at: (n: Int, c: Int, s: Int)) -> String {
        candidates.first { meets($0, window: at.s, n: at.n, c: at.c) } ?? "arithmetic"
    }

    /// The rule for input cell (n, c, s): the first any window holding it meets.
    func ruleForInputCell(_ at: (n: Int, c: Int, s: Int)) -> String {
        let windows = at.s < windowsOfCell.count ? windowsOfCell[at.s] : []
        return candidates.first { rule in windows.contains { meets(rule, window: $0, n: at.n, c: at.c) } } ?? "arithmetic"
    }

    func meets(_ rule: String, window o: Int, n: Int, c: Int) -> Bool {
        guard let inspector, let layout else { return false }
        let taps = inspector.taps(of: o)
        let values = taps.filter { $0.kind == .real }.map { input?[layout.flat(n: n, c: c, s: $0.cell)] ?? 0 }
        switch rule {
        case "emptyWindow": return values.allSatisfy { $0.isNaN || $0 == -.infinity }
        case "nan": return values.contains { $0.isNaN }
        case "signedZero": return values.contains { $0 == 0 && $0.sign == .minus }
        case "padding": return taps.contains { $0.kind == .padding }
        case "ceilMode": return taps.contains { $0.kind == .overhang }
        case "divisor": return mode == .avg && taps.contains { $0.kind != .real }
        case "lp": return mode == .lp && values.contains { $0 < 0 }
        case "ties":
            let finite = values.filter { !$0.isNaN }
            guard let top = finite.max() else { return false }
            return finite.count { $0 == top } > 1
        default: return false
        }
    }
}
