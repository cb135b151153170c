import Dispatch
import Glibc

/// A fixed set of threads running compute jobs in arrival order, with a bounded queue: a job
/// offered when the queue is full is refused, so that the caller can answer 503.
final class ComputePool: Sendable {
    typealias Job = @Sendable () -> Void
    private struct Queue {
        var jobs: [Job?] = []
        var head = 0
        var stopped = false
        var count: Int { jobs.count - head }
    }
    private let queue = Locked(Queue())
    private let available = DispatchSemaphore(value: 0)
    private let maxQueued: Int
    private let threads: Int
    private let statistics: ServerStatistics

    /// Starts `threads` threads; at most `maxQueued` jobs wait.
    init(threads: Int, maxQueued: Int, statistics: ServerStatistics) {
        self.maxQueued = maxQueued
        self.threads = threads
        self.statistics = statistics
        for _ in 0..<threads { startThread() }
    }

    /// Whether a job offered now would be queued.
    var hasRoom: Bool { queue.withLock { !$0.stopped && $0.count < maxQueued } }

    /// Queues `job`; false when the queue is full or the pool stopped.
    func submit(_ job: @escaping Job) -> Bool {
        let queued = queue.withLock { q -> Bool in
            guard !q.stopped, q.count < maxQueued else { return false }
            q.jobs.append(job)
            return true
        }
        guard queued else { return false }
        statistics.queuedCount.add(1, ordering: .relaxed)
        available.signal()
        return true
    }

    /// Stops taking jobs; the threads end once the queue is empty (a running job finishes on
    /// its own: nothing waits for it).
    func stop() {
        queue.withLock { $0.stopped = true }
        for _ in 0..<threads { available.signal() }
    }

    private enum Next {
        case job(Job)
        case wait
        case stop
    }

    private func next() -> Next {
        queue.withLock { q -> Next in
            guard q.count > 0, let job = q.jobs[q.head] else { return q.stopped ? .stop : .wait }
            q.jobs[q.head] = nil
            q.head += 1
            if q.head > 64 && q.head * 2 > q.jobs.count {
                q.jobs.removeFirst(q.head)
                q.head = 0
            }
            return .job(job)
        }
    }

    private func run() {
        while true {
            available.wait()
            switch next() {
            case .wait: continue
            case .stop: return
            case .job(let job):
                statistics.queuedCount.subtract(1, ordering: .relaxed)
                statistics.computingCount.add(1, ordering: .relaxed)
                job()
                statistics.computingCount.subtract(1, ordering: .relaxed)
            }
        }
    }

    private func startThread() {
        let box = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        pthread_create(&thread, &attributes, { raw in
            let pool = Unmanaged<ComputePool>.fromOpaque(raw!).takeRetainedValue()
            pool.run()
            return nil
        }, box)
        pthread_attr_destroy(&attributes)
    }
}
