extension ConventionPath {
    /// A max window's value and the spatial index of the cell that takes its index and gradient
    /// (−1: none), under ``FrameworkRules/maxScan``.
    @inline(__always)
    func selectMax<T: PoolScalar>(_ taps: ConventionWindows.Taps, _ x: UnsafePointer<T>, n: Int, c: Int) -> (value: T, cell: Int) {
        func at(_ t: Int) -> T { x[offset(n: n, c: c, s: taps.cells[t], plane: inputPlane)] }
        switch rules.maxScan {
        case .strictFromFirstCell:
            var best: (value: T, cell: Int)?
            for t in 0..<taps.count where taps.kinds[t] == .real {
                let v = at(t)
                if best == nil || v > best!.value { best = (v, taps.cells[t]) }
            }
            return best ?? (rules.emptyMax == .lowest ? -T.greatestFiniteMagnitude : -T.infinity, -1)
        case .tensorflow:
            let cell = firstStrict(taps, x, n: n, c: c)
            var value = -T.greatestFiniteMagnitude
            for t in 0..<taps.count where taps.kinds[t] == .real {
                let v = at(t)
                if value < v { value = v }
            }
            return (value, cell)
        case .tensorflowCuboid:
            var value = -T.infinity
            for t in 0..<taps.count where taps.kinds[t] != .overhang {
                let v = taps.kinds[t] == .real ? at(t) : -T.greatestFiniteMagnitude
                if !(v < value) { value = v }
            }
            return (value, -1)
        case .strictFromLowest:
            var best: (value: T, cell: Int) = (-T.greatestFiniteMagnitude, -1)
            for t in 0..<taps.count where taps.kinds[t] == .real {
                let v = at(t)
                if v > best.value { best = (v, taps.cells[t]) }
            }
            return best
        case .xla:
            // Padding and overhang take part as −∞ (the init value XLA pads with).
            func value(_ t: Int) -> T { taps.kinds[t] == .real ? at(t) : -T.infinity }
            var maximum = value(0)
            var chosen = 0
            var chosenValue = maximum
            for t in 1..<taps.count {
                let v = value(t)
                maximum = Self.ieeeMaximum(maximum, v)
                if !(chosenValue >= v) { chosen = t; chosenValue = v }
            }
            return (maximum, taps.kinds[chosen] == .real ? taps.cells[chosen] : -1)
        }
    }

    /// The first real cell, replaced only by a strictly greater one (−1 without a real cell).
    @inline(__always)
    func firstStrict<T: PoolScalar>(_ taps: ConventionWindows.Taps, _ x: UnsafePointer<T>, n: Int, c: Int) -> Int {
        var best: (value: T, cell: Int)?
        for t in 0..<taps.count where taps.kinds[t] == .real {
            let v = x[offset(n: n, c: c, s: taps.cells[t], plane: inputPlane)]
            if best == nil || v > best!.value { best = (v, taps.cells[t]) }
        }
        return best?.cell ?? -1
    }

    /// Calls `body(cell)` for each cell that takes a window's gradient: the selected one, or
    /// under ``FrameworkRules/MaxScan/tensorflowCuboid`` every real cell within 1e-5 of a finite value.
    @inline(__always)
    func forEachGradientCell<T: PoolScalar>(_ taps: ConventionWindows.Taps, _ x: UnsafePointer<T>, n: Int, c: Int,
                                            _ selected: (value: T, cell: Int), _ body: (Int) -> Void) {
        guard rules.maxScan == .tensorflowCuboid else {
            if selected.cell >= 0 { body(selected.cell) }
            return
        }
        guard selected.value.isFinite else { return }
        for t in 0..<taps.count where taps.kinds[t] == .real {
            let v = x[offset(n: n, c: c, s: taps.cells[t], plane: inputPlane)]
            if abs(v - selected.value) < T(double: 1e-5) { body(taps.cells[t]) }
        }
    }

    /// IEEE 754-2019 `maximum`: NaN if either is NaN, +0 above −0, else the larger.
    @inline(__always)
    static func ieeeMaximum<T: PoolScalar>(_ a: T, _ b: T) -> T {
        if a.isNaN || b.isNaN { return .nan }
        if a == b { return a.sign == .minus ? b : a }
        return a > b ? a : b
    }

    /// Max forward: values, indices in ``FrameworkRules/indexForm`` and the mask (how many
    /// windows selected each cell). `mask` comes zeroed.
    func maxForward<T: PoolScalar>(_ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, indices: UnsafeMutablePointer<Int64>?,
                                   mask: UnsafeMutablePointer<T>?, cancellation: Cancellation?) {
        let (inPlane, outPlane, form, dims, cs) = (inputPlane, outputPlane, rules.indexForm, windows.inputDims, geometry.channels)
        forEachPlane(cancellation: cancellation) { n, c, taps, stop in
            for o in 0..<outPlane {
                if stop.shouldStop(after: windows.cells) { return }
                windows.taps(of: o, into: &taps)
                let selected = selectMax(taps, x, n: n, c: c)
                let (value, cell) = selected
                let at = offset(n: n, c: c, s: o, plane: outPlane)
                y[at] = value
                indices?[at] = cell < 0 ? form.none(n: n, c: c, dims: dims, channels: cs) : form.index(n: n, c: c, s: cell, dims: dims, channels: cs)
                if let mask { forEachGradientCell(taps, x, n: n, c: c, selected) { mask[offset(n: n, c: c, s: $0, plane: inPlane)] += 1 } }
            }
        }
    }

    /// Max backward: each window's gradient to its selected cell, summed (`grad` comes zeroed).
    func maxBackward<T: PoolScalar>(_ x: UnsafePointer<T>, _ gy: UnsafePointer<T>, _ grad: UnsafeMutablePointer<T>,
                                    cancellation: Cancellation?) {
        let (inPlane, outPlane) = (inputPlane, outputPlane)
        forEachPlane(cancellation: cancellation) { n, c, taps, stop in
            for o in 0..<outPlane {
                if stop.shouldStop(after: windows.cells) { return }
                windows.taps(of: o, into: &taps)
                let g = gy[offset(n: n, c: c, s: o, plane: outPlane)]
                forEachGradientCell(taps, x, n: n, c: c, selectMax(taps, x, n: n, c: c)) { grad[offset(n: n, c: c, s: $0, plane: inPlane)] += g }
            }
        }
    }
}
