/// The windows along one spatial axis: for each output position, its real taps
/// `first + j·step` for j in 0..<count, and how many taps lie inside the padded border.
struct AxisWindows {
    let size: Int
    let step: Int
    var first: [Int]
    var count: [Int]
    /// Taps in [−begin, n + end): the divisor of avg with `countIncludePad`.
    var paddedCount: [Int]

    /// Fixed windows (see ``PoolGeometry``).
    init(size n: Int, outputSize: Int, kernel k: Int, stride s: Int, dilation d: Int, padding: (begin: Int, end: Int)) {
        size = n
        step = d
        first = [Int](repeating: 0, count: outputSize)
        count = first
        paddedCount = first
        for o in 0..<outputSize {
            let start = o * s - padding.begin
            // First tap at or after 0, and one past the last tap before n (resp. n + end).
            let j0 = start >= 0 ? 0 : (-start + d - 1) / d
            let jEnd = min(k, start >= n ? 0 : (n - start + d - 1) / d)
            let jPadEnd = min(k, (n + padding.end - start + d - 1) / d)
            first[o] = start + j0 * d
            count[o] = max(0, jEnd - j0)
            paddedCount[o] = max(0, jPadEnd)
        }
    }

    /// Windows of any starts and lengths, all real, step 1 (fractional pooling's).
    init(size n: Int, first: [Int], count: [Int]) {
        size = n
        step = 1
        self.first = first
        self.count = count
        paddedCount = count
    }

    /// Adaptive windows: window i spans [⌊i·n/out⌋, ⌈(i+1)·n/out⌉).
    init(size n: Int, outputSize: Int) {
        size = n
        step = 1
        first = (0..<outputSize).map { $0 * n / outputSize }
        count = (0..<outputSize).map { i in ((i + 1) * n + outputSize - 1) / outputSize - i * n / outputSize }
        paddedCount = count
    }
}
