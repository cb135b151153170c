extension WindowTable {
    /// The geometry as rows and columns, for the row kernels: 2-D as it is, 1-D as one row.
    /// Nil for three or more spatial dims.
    var rows: (y: AxisWindows, x: AxisWindows, outHeight: Int, outWidth: Int)? {
        switch axes.count {
        case 2: return (axes[0], axes[1], outputSizes[0], outputSizes[1])
        case 1: return (AxisWindows(size: 1, outputSize: 1), axes[0], 1, outputSizes[0])
        default: return nil
        }
    }
}
