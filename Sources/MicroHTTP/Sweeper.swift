import Glibc
import Synchronization

/// A thread that runs a task every `interval` seconds until stopped.
final class Sweeper: Sendable {
    private let interval: Double
    private let stopped = Atomic<Bool>(false)
    private let thread = Locked<pthread_t?>(nil)
    private let task = Locked<(@Sendable () -> Void)?>(nil)

    init(interval: Double) { self.interval = interval }

    /// Starts running `task`.
    func start(_ task: @escaping @Sendable () -> Void) {
        self.task.withLock { $0 = task }
        let box = Unmanaged.passRetained(self).toOpaque()
        var id = pthread_t()
        guard pthread_create(&id, nil, { raw in
            let sweeper = Unmanaged<Sweeper>.fromOpaque(raw!).takeRetainedValue()
            sweeper.loop()
            return nil
        }, box) == 0 else {
            Unmanaged<Sweeper>.fromOpaque(box).release()
            return
        }
        thread.withLock { $0 = id }
    }

    /// Stops and waits for a run in progress to end.
    func stop() {
        stopped.store(true, ordering: .relaxed)
        if let id = thread.withLock({ t -> pthread_t? in
            let taken = t
            t = nil
            return taken
        }) {
            pthread_join(id, nil)
        }
    }

    private func loop() {
        let step = UInt32(interval * 1e6)
        while !stopped.load(ordering: .relaxed) {
            usleep(step)
            if stopped.load(ordering: .relaxed) { break }
            task.withLock { $0 }?()
        }
    }
}
