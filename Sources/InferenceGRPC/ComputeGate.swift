import Dispatch
import GRPCCore

/// The gRPC front end's compute queue: at most `threads` calls compute at once, each on a
/// Dispatch thread of its own (never on Swift's concurrency pool, which the kernels would
/// starve); a call that waits longer than `queueTimeout` is refused and never started.
final class ComputeGate: Sendable {
    private let slots: DispatchSemaphore
    private let queueTimeout: Double
    private let queue = DispatchQueue(label: "poolserve.grpc.compute", attributes: .concurrent)

    init(threads: Int, queueTimeout: Double) {
        slots = DispatchSemaphore(value: max(1, threads))
        self.queueTimeout = queueTimeout
    }

    /// `work`'s result, or UNAVAILABLE (as REST's 503) when no thread was free within the queue timeout.
    func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async throws -> T {
        let result: T? = await withCheckedContinuation { continuation in
            queue.async { [slots, queueTimeout] in
                guard slots.wait(timeout: .now() + queueTimeout) == .success else {
                    continuation.resume(returning: nil)
                    return
                }
                let value = work()
                slots.signal()
                continuation.resume(returning: value)
            }
        }
        guard let result else {
            throw RPCError(code: .unavailable, message: "the compute queue is full: the call waited \(queueTimeout) s for a compute thread and was not started; retry later")
        }
        return result
    }
}
