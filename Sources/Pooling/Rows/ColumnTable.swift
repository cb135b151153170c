/// The row axis's windows as plain memory, for the hot loops (no bounds checks, no copies):
/// per output column, the first real column, the real column count, the padded cell count and
/// the span (count − 1)·dilation. Immutable after `init`.
///
/// `@unchecked Sendable`: it owns raw pointers, which are never written after `init` and freed
/// only in `deinit`, so sharing it between the chunks of one call is safe.
final class ColumnTable: @unchecked Sendable {
    let first: UnsafeMutablePointer<Int>
    let count: UnsafeMutablePointer<Int>
    let padded: UnsafeMutablePointer<Int>
    let span: UnsafeMutablePointer<Int>

    init(_ x: AxisWindows) {
        let columns = x.first.count
        first = .allocate(capacity: max(1, columns))
        count = .allocate(capacity: max(1, columns))
        padded = .allocate(capacity: max(1, columns))
        span = .allocate(capacity: max(1, columns))
        for ox in 0..<columns {
            first[ox] = x.first[ox]
            count[ox] = x.count[ox]
            padded[ox] = x.paddedCount[ox]
            span[ox] = (x.count[ox] - 1) * x.step
        }
    }

    deinit {
        first.deallocate()
        count.deallocate()
        padded.deallocate()
        span.deallocate()
    }
}
