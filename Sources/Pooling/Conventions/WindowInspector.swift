/// The cells of any window of a fixed or global geometry, for callers that explain results
/// (which rule makes two frameworks differ at a cell): each tap's kind and, for real taps, its
/// row-major spatial index in the plane.
public struct WindowInspector: Sendable {
    public enum Kind: Sendable, Equatable { case real, padding, overhang }

    let windows: ConventionWindows

    public init(_ g: PoolGeometry) { windows = ConventionWindows(g) }

    /// Spatial cells per input plane and per output plane.
    public var inputPlane: Int { windows.inputDims.reduce(1, *) }
    public var outputPlane: Int { windows.outputDims.reduce(1, *) }

    /// The taps of output cell `o` (row-major over the output's spatial dims): kind and spatial
    /// index (−1 unless real).
    public func taps(of o: Int) -> [(kind: Kind, cell: Int)] {
        var taps = ConventionWindows.Taps(kinds: [], cells: [])
        windows.taps(of: o, into: &taps)
        return (0..<taps.count).map { t in
            let kind: Kind = taps.kinds[t] == .real ? .real : taps.kinds[t] == .padding ? .padding : .overhang
            return (kind, taps.cells[t])
        }
    }
}

extension IndexForm {
    /// The row-major spatial cell an index of this form names for sample `n`, channel `c`, or
    /// nil when it names none (the form's `none`, or a cell outside the plane).
    public func cell(of index: Int64, n: Int, c: Int, dims: [Int], channels: Int) -> Int? {
        let plane = dims.reduce(1, *)
        let v = Int(index - base)
        if let none, index == none { return nil }
        let s: Int
        switch space {
        case .plane: s = v
        case .sampleChannelsLast:
            guard v >= 0, v % channels == c else { return nil }
            s = v / channels
        case .tensorChannelsLast:
            guard v >= 0, v % channels == c else { return nil }
            s = v / channels - n * plane
        case .tensorChannelsFirst: s = v - (n * channels + c) * plane
        }
        guard s >= 0, s < plane else { return nil }
        return columnMajor ? Self.rowMajorIndex(fromColumnMajor: s, dims) : s
    }

    /// Column-major `s` counted row-major.
    static func rowMajorIndex(fromColumnMajor s: Int, _ dims: [Int]) -> Int {
        var rest = s, out = 0
        var coords = [Int](repeating: 0, count: dims.count)
        for a in 0..<dims.count { coords[a] = rest % dims[a]; rest /= dims[a] }
        for a in 0..<dims.count { out = out * dims[a] + coords[a] }
        return out
    }
}
