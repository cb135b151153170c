/// A kernel's view of an optional ``Cancellation``: the flag is read once per
/// ``interval`` window cells of work, so that the check costs one subtraction and one
/// predictable branch per window.
struct StopCheck {
    /// Window cells between two reads of the flag: about 20 µs of max work or 1 ms of lp's
    /// `pow`s on this machine's cores.
    static let interval = 1 << 15

    let cancellation: Cancellation?
    private var left: Int
    /// Set once the flag was seen: every later check says stop.
    private(set) var stopped = false

    init(_ cancellation: Cancellation?) {
        self.cancellation = cancellation
        left = cancellation == nil ? .max : 0
    }

    /// Counts `cells` of work done; true when the caller must stop (the flag is set).
    @inline(__always)
    mutating func shouldStop(after cells: Int) -> Bool {
        left &-= cells
        if left > 0 { return false }
        return refill()
    }

    @inline(never)
    private mutating func refill() -> Bool {
        guard let cancellation else { left = .max; return false }
        if stopped || cancellation.isCancelled {
            stopped = true
            left = 0
            return true
        }
        left = Self.interval
        return false
    }
}
