/// How a flat index counts the spatial dims of a plane.
public enum IndexOrder: String, Sendable, CaseIterable {
    /// The last spatial dim fastest (C order; PyTorch, TensorFlow, ONNX `storage_order` 0).
    case rowMajor = "row_major"
    /// The first spatial dim fastest (Fortran order; ONNX `storage_order` 1).
    case columnMajor = "column_major"
}

extension PoolGeometry {
    /// Rewrites row-major `indices` (in `space`) so that their spatial part counts the dims
    /// column-major (`toColumnMajor`), or back. The batch and channel parts stay as the layout
    /// has them: in `tensor` space a channels_first index is (n·C + c)·S + s and a channels_last
    /// one (n·S + s)·C + c, with s the spatial index in the chosen order. An index outside the
    /// input is left as it is (the backward reports it).
    ///
    /// With spatial dims D₁…D_d and coordinates x₁…x_d: row-major s = Σ xₐ·Πᵦ₍ᵦ>ₐ₎ Dᵦ, column-major
    /// s = Σ xₐ·Πᵦ₍ᵦ<ₐ₎ Dᵦ.
    public func reorder(_ indices: inout [Int64], space: IndexSpace, toColumnMajor: Bool) {
        let dims = inputSpatial
        guard dims.count > 1 else { return } // one spatial dim: both orders agree
        let plane = dims.reduce(1, *)
        let c = channels
        let total = Int64(inputCount)
        var rowWeights = [Int](repeating: 1, count: dims.count), columnWeights = rowWeights
        for a in stride(from: dims.count - 2, through: 0, by: -1) { rowWeights[a] = rowWeights[a + 1] * dims[a + 1] }
        for a in 1..<dims.count { columnWeights[a] = columnWeights[a - 1] * dims[a - 1] }
        let (from, to) = toColumnMajor ? (rowWeights, columnWeights) : (columnWeights, rowWeights)
        func convert(_ s: Int) -> Int {
            var out = 0
            for a in 0..<dims.count { out += (s / from[a]) % dims[a] * to[a] }
            return out
        }
        for k in indices.indices {
            let v = indices[k]
            guard v >= 0, v < total else { continue }
            let i = Int(v)
            switch (space, layout) {
            case (.plane, _):
                guard i < plane else { continue }
                indices[k] = Int64(convert(i))
            case (.tensor, .channelsFirst):
                indices[k] = Int64(i / plane * plane + convert(i % plane))
            case (.tensor, .channelsLast):
                let (n, rest) = (i / (plane * c), i % (plane * c))
                indices[k] = Int64((n * plane + convert(rest / c)) * c + rest % c)
            }
        }
    }
}
