import Synchronization

/// Live figures of a ``Server``, readable from any thread (for `/metrics`). It can be made
/// before the server, so that handlers registered first can report them.
public final class ServerStatistics: Sendable {
    let inFlightCount = Atomic<Int>(0)
    let queuedCount = Atomic<Int>(0)
    let computingCount = Atomic<Int>(0)
    let openConnectionCount = Atomic<Int>(0)

    /// Figures all zero.
    public init() {}

    /// Requests from their head to their completion (answer sent or connection gone).
    public var requestsInFlight: Int { inFlightCount.load(ordering: .relaxed) }
    /// Compute requests waiting for a compute thread.
    public var requestsQueued: Int { queuedCount.load(ordering: .relaxed) }
    /// Compute requests running on a compute thread.
    public var requestsComputing: Int { computingCount.load(ordering: .relaxed) }
    /// Open connections.
    public var openConnections: Int { openConnectionCount.load(ordering: .relaxed) }
}
