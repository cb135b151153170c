/// Zeroes the gradient (or mask) of one plane, or of one channels_last sample, just ahead of
/// the output rows that add into it: before output row q, up to the end of q's last input row.
/// Output rows read ascending input rows, so each part is zeroed shortly before it is first
/// added to, while it is in cache, instead of the whole region up front (a channels_last sample
/// of the stem, 3.2 MB, would leave the cache between its zeroing and its use). ``finish()``
/// zeroes what no window reads. Regions that fit the cache are zeroed at once, in one call.
/// Without a base it does nothing.
struct ZeroAhead<T: PoolScalar> {
    let base: UnsafeMutablePointer<T>?
    /// Elements per spatial cell: 1 (channels_first plane) or C (channels_last sample).
    let elementsPerCell: Int
    let cells: Int
    let width: Int
    private var end = 0

    /// Regions up to this many bytes (a plane that stays in the core's cache) are zeroed at once.
    static var wholeBytes: Int { 256 << 10 }

    init(_ base: UnsafeMutablePointer<T>?, _ windows: RowWindows, elementsPerCell: Int = 1) {
        self.base = base
        self.elementsPerCell = elementsPerCell
        cells = windows.inPlane
        width = windows.width
        if cells * elementsPerCell * MemoryLayout<T>.stride <= Self.wholeBytes { finish() }
    }

    /// Zeroes up to the end of the last of `rows` (ascending row starts).
    @inline(__always)
    mutating func cover(_ rows: UnsafePointer<Int>, _ count: Int) {
        zero(upTo: Swift.min(cells, rows[count - 1] + width))
    }

    /// Zeroes the rest.
    mutating func finish() { zero(upTo: cells) }

    @inline(__always)
    private mutating func zero(upTo cell: Int) {
        guard let base, cell > end else { return }
        (base + end * elementsPerCell).initialize(repeating: 0, count: (cell - end) * elementsPerCell)
        end = cell
    }
}
