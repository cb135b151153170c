import Glibc

/// A value reached only under a `pthread_mutex_t`: `Synchronization.Mutex`'s `withLock`, with a
/// lock that ThreadSanitizer understands.
///
/// Why not `Mutex`: on Linux it takes an uncontended lock with an atomic compare-exchange that
/// is inlined into our (instrumented) code, but hands a contended one over in the kernel — its
/// slow paths, in the uninstrumented standard library, call `futex(FUTEX_LOCK_PI)` and
/// `futex(FUTEX_UNLOCK_PI)`, which write the owner into the lock word themselves. TSan sees no
/// release by the holder and no acquire by the waiter, so it reports the two holders' accesses
/// inside `withLock` as a race ("Swift access race", e.g. in ``ConnectionTable`` between two
/// libmicrohttpd workers) although the lock kept them apart. TSan intercepts
/// `pthread_mutex_lock`/`unlock`, so a report inside this `withLock` is a real race, and a clean
/// TSan run means something. The uncontended cost is the same order (one atomic each way).
///
/// `@unchecked Sendable` as `Mutex` is `Sendable`: the value is only reached inside `withLock`,
/// under the lock, and passed in and out as `sending`.
package final class Locked<Value: ~Copyable>: @unchecked Sendable {
    /// Heap memory: a `pthread_mutex_t` must not move once initialized.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    package init(_ value: consuming sending Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        let status = pthread_mutex_init(mutex, nil)
        precondition(status == 0, "pthread_mutex_init: \(status)")
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// `body` on the value, under the lock.
    package func withLock<Result: ~Copyable, E: Error>(_ body: (inout sending Value) throws(E) -> sending Result) throws(E) -> sending Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
