import Synchronization

/// The bytes all requests in flight may hold at once: their bodies, the tensors made from
/// them and their answers until the last byte is sent (`--max-inflight-bytes`).
///
/// Each request holds a ``MemoryReservation`` against it. A request whose reservation would
/// pass the limit is refused (503 with `Retry-After`) instead of being read.
public final class MemoryBudget: Sendable {
    /// The most bytes reservations may hold together.
    public let limit: Int
    private let used = Atomic<Int>(0)

    /// A budget of `limit` bytes.
    public init(limit: Int) { self.limit = max(0, limit) }

    /// The bytes reserved now.
    public var reserved: Int { used.load(ordering: .relaxed) }

    /// The default limit: half the cgroup's memory limit when there is one, else a quarter of
    /// physical memory (what is left covers the runtime, the allocator's slack and the error of
    /// the per-request estimates).
    public static func systemDefault() -> Int {
        if let cgroup = SystemResources.cgroupMemoryLimit { return cgroup / 2 }
        return SystemResources.physicalMemory / 4
    }

    /// Takes `bytes` when they fit under the limit.
    func take(_ bytes: Int) -> Bool {
        guard bytes > 0 else { return true }
        var current = used.load(ordering: .relaxed)
        while true {
            guard current <= limit - bytes else { return false }
            let (exchanged, original) = used.compareExchange(expected: current, desired: current + bytes,
                                                             ordering: .acquiringAndReleasing)
            if exchanged { return true }
            current = original
        }
    }

    /// Takes `bytes` whether or not they fit (memory already held, such as a computed answer).
    func force(_ bytes: Int) {
        if bytes > 0 { used.add(bytes, ordering: .relaxed) }
    }

    /// Gives back `bytes`.
    func give(_ bytes: Int) {
        if bytes > 0 { used.subtract(bytes, ordering: .relaxed) }
    }
}
