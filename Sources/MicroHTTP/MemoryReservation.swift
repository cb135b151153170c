import Synchronization

/// One request's share of the ``MemoryBudget``: set from the declared `Content-Length` when
/// the head arrives, grown as an undeclared body arrives, topped up by the handler once it
/// knows the validated shapes (``Request/reserve(_:)``), set to the answer's size while the
/// answer is sent, and given back when the request completes.
public final class MemoryReservation: Sendable {
    private let budget: MemoryBudget?
    private let held = Atomic<Int>(0)

    /// A reservation against no budget: every ``reserve(_:)`` succeeds (for requests made
    /// outside a server, as in tests).
    public init() { budget = nil }

    /// A reservation against `budget`, holding nothing yet.
    public init(budget: MemoryBudget) { self.budget = budget }

    /// The bytes held.
    public var bytes: Int { held.load(ordering: .relaxed) }

    /// Adds `bytes` when the budget has room; false (and nothing taken) when it has not.
    public func reserve(_ bytes: Int) -> Bool {
        guard bytes > 0 else { return true }
        if let budget, !budget.take(bytes) { return false }
        held.add(bytes, ordering: .relaxed)
        return true
    }

    /// Grows the reservation to at least `bytes` when the budget has room.
    func grow(toAtLeast bytes: Int) -> Bool {
        let now = self.bytes
        return bytes <= now || reserve(bytes - now)
    }

    /// Sets the reservation to `bytes` whether or not the budget has room: for memory that is
    /// already held (an answer waiting for its reader).
    func set(to bytes: Int) {
        let old = held.exchange(max(0, bytes), ordering: .relaxed)
        budget?.force(max(0, bytes))
        budget?.give(old)
    }

    /// Gives everything back; returns how much that was.
    @discardableResult
    public func release() -> Int {
        let old = held.exchange(0, ordering: .relaxed)
        budget?.give(old)
        return old
    }
}
