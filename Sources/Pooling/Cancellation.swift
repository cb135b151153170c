import Synchronization

/// A flag that stops running pooling calls early: pass it to any `Pool` entry point, call
/// ``cancel()`` from any thread, and the call returns soon after (within one window, or a few
/// thousand window cells, of work per core). A cancelled call's results are unspecified: the
/// caller checks ``isCancelled`` and discards them.
public final class Cancellation: Sendable {
    private let flag = Atomic<Bool>(false)

    /// A flag not yet set.
    public init() {}

    /// Sets the flag; every call given it stops at its next check.
    public func cancel() { flag.store(true, ordering: .relaxed) }

    /// Whether ``cancel()`` was called.
    public var isCancelled: Bool { flag.load(ordering: .relaxed) }
}
