import Glibc
@testable import MicroHTTP
import XCTest

/// ``Locked``: holders are kept apart, and ThreadSanitizer sees it (a TSan run of this test is
/// clean, where `Synchronization.Mutex` under the same contention is reported as racing), while
/// a real race next to it is still reported (the canary below).
final class LockedTests: XCTestCase {
    /// A counter that is not thread-safe by itself.
    private final class Counter: @unchecked Sendable {
        var value = 0
    }

    /// Runs `body(i)` on `count` POSIX threads at once and waits for them.
    private func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        final class Start: @unchecked Sendable {
            let body: @Sendable (Int) -> Void
            let index: Int
            init(_ body: @escaping @Sendable (Int) -> Void, _ index: Int) { (self.body, self.index) = (body, index) }
        }
        var threads: [pthread_t] = []
        for i in 0..<count {
            var thread = pthread_t()
            let start = Unmanaged.passRetained(Start(body, i)).toOpaque()
            let status = pthread_create(&thread, nil, { p in
                let start = Unmanaged<Start>.fromOpaque(p!).takeRetainedValue()
                start.body(start.index)
                return nil
            }, start)
            XCTAssertEqual(status, 0)
            threads.append(thread)
        }
        for thread in threads { pthread_join(thread, nil) }
    }

    func testHoldersAreKeptApartUnderContention() {
        let (threads, rounds) = (4, 20_000)
        let locked = Locked(0)
        let outside = Counter()
        onThreads(threads) { _ in
            for _ in 0..<rounds {
                locked.withLock { $0 += 1 }
                // A plain counter, written only under the lock: TSan must see the lock's order.
                locked.withLock { _ in outside.value += 1 }
            }
        }
        XCTAssertEqual(locked.withLock { $0 }, threads * rounds)
        XCTAssertEqual(outside.value, threads * rounds)
    }

    func testBodyResultsAndErrorsPassThrough() {
        struct Refused: Error {}
        let locked = Locked([1, 2])
        XCTAssertEqual(locked.withLock { $0.count }, 2)
        XCTAssertThrowsError(try locked.withLock { (_: inout [Int]) throws(Refused) in throw Refused() })
        // The lock was released by the throw.
        XCTAssertEqual(locked.withLock { $0.removeLast() }, 2)
    }

    /// The canary of `make tsan-test` (skipped unless `TSAN_CANARY=1`): one thread writes a
    /// counter under the lock, another without it. ThreadSanitizer must report this race, so
    /// that a clean TSan run of the other tests shows that TSan was on and saw the locks, not that
    /// the locks (or a suppression) hid every access.
    func testCanaryRaceBesideTheLock() throws {
        guard let flag = getenv("TSAN_CANARY"), String(cString: flag) == "1" else {
            throw XCTSkip("a deliberate data race for ThreadSanitizer to report; run with TSAN_CANARY=1 under --sanitize=thread")
        }
        let locked = Locked(())
        let counter = Counter()
        onThreads(2) { i in
            for _ in 0..<1_000 {
                if i == 0 { locked.withLock { _ in counter.value += 1 } } else { counter.value += 1 }
            }
        }
    }
}
