import Synchronization

/// A one-way signal that a request's work is no longer wanted: the server raises it at the
/// drain deadline (its client has been answered 503 by then). A handler polls ``isCancelled``
/// between pieces of work, or registers an action with ``onCancel(_:)`` (e.g. to cancel the
/// kernels' own cancellation object).
public final class CancellationSignal: Sendable {
    private let raised = Atomic<Bool>(false)
    /// The actions still to run; nil once the signal is raised.
    private let actions = Locked<[@Sendable () -> Void]?>([])

    /// A signal not yet raised.
    public init() {}

    /// Whether the signal has been raised (cheap enough to poll in a loop).
    public var isCancelled: Bool { raised.load(ordering: .acquiring) }

    /// Runs `action` once when the signal is raised, or at once when it already is. Actions run
    /// on the thread that raises the signal and must be quick.
    public func onCancel(_ action: @escaping @Sendable () -> Void) {
        let runNow = actions.withLock { list -> Bool in
            guard list != nil else { return true }
            list!.append(action)
            return false
        }
        if runNow { action() }
    }

    /// Raises the signal and runs the registered actions; later calls do nothing.
    public func cancel() {
        raised.store(true, ordering: .releasing)
        let pending = actions.withLock { list -> [@Sendable () -> Void] in
            let taken = list ?? []
            list = nil
            return taken
        }
        for action in pending { action() }
    }
}
