import Dispatch
import MicroHTTP
import TestSupport
import XCTest

/// Compute requests carry a queue deadline, and cheap requests under a compute prefix are not
/// queued behind computations at all.
final class QueueDeadlineTests: XCTestCase {
    /// A request still queued at its deadline is answered 503 with Retry-After then, not when a
    /// thread frees up, and its handler never runs.
    func testARequestQueuedPastItsDeadlineIsAnswered503AndNeverStarted() throws {
        let gate = Gate()
        let started = Counter()
        let recorder = Recorder()
        let s = try makeServer({ $0.computeThreads = 1; $0.queueTimeout = 0.5 }, recorder: recorder) { router in
            router.add(.post, "/slow", .compute) { _ in started.add(); gate.pass(); return Response(status: 200) }
        }
        defer { s.stop() }
        let first = DispatchGroup()
        DispatchQueue.global().async(group: first) { _ = try? HTTPClient.send(port: s.port, path: "/slow") }
        XCTAssertTrue(gate.waitForArrival())
        // The one compute thread is held; this one waits in the queue until its deadline.
        let late = try HTTPClient.send(port: s.port, path: "/slow")
        XCTAssertEqual(late.status, 503, late.text)
        XCTAssertEqual(late.headers["retry-after"], "1")
        XCTAssertTrue(late.text.contains("--queue-timeout"), late.text)
        XCTAssertEqual(started.value, 1, "answered while the compute thread was still held")
        gate.open(2)
        first.wait()
        XCTAssertTrue(eventually { s.statistics.requestsQueued == 0 && s.statistics.requestsComputing == 0 })
        XCTAssertEqual(started.value, 1, "the late request must not start once a thread is free")
        XCTAssertTrue(eventually { recorder.all.contains { $0.shed == .queue && $0.status == 503 } })
    }

    func testWithoutADeadlineAQueuedRequestWaitsForItsTurn() throws {
        let gate = Gate()
        let s = try makeServer({ $0.computeThreads = 1; $0.queueTimeout = 0 }) { router in
            router.add(.post, "/slow", .compute) { _ in gate.pass(); return Response(status: 200) }
        }
        defer { s.stop() }
        let group = DispatchGroup()
        let statuses = StatusList()
        DispatchQueue.global().async(group: group) { statuses.add { try HTTPClient.send(port: s.port, path: "/slow") } }
        XCTAssertTrue(gate.waitForArrival())
        DispatchQueue.global().async(group: group) { statuses.add { try HTTPClient.send(port: s.port, path: "/slow") } }
        XCTAssertTrue(eventually { s.statistics.requestsQueued == 1 })
        gate.open(2)
        group.wait()
        XCTAssertEqual(statuses.all, [200, 200])
    }

    /// Under a prefix whose requests run in different places, the cheap ones answer on the I/O
    /// thread while every compute thread is held.
    func testAPrefixsCheapRequestsAnswerWhileTheComputeThreadsAreBusy() throws {
        let gate = Gate()
        let s = try makeServer({ $0.threads = 1; $0.computeThreads = 1 }) { router in
            router.addPrefix("/api", kind: { method, path in method == .post && path.hasSuffix("/work") ? .compute : .inline }) { request in
                if request.path.hasSuffix("/work") { gate.pass() }
                return Response(status: 200, contentType: "text/plain", body: Array(request.path.utf8))
            }
        }
        defer { s.stop() }
        let busy = DispatchGroup()
        DispatchQueue.global().async(group: busy) { _ = try? HTTPClient.send(port: s.port, path: "/api/m/work") }
        XCTAssertTrue(gate.waitForArrival())
        let cheap = try HTTPClient.send(port: s.port, method: "GET", path: "/api/m/ready")
        XCTAssertEqual(cheap.status, 200)
        XCTAssertEqual(cheap.text, "/api/m/ready")
        XCTAssertEqual(s.statistics.requestsComputing, 1)
        gate.open()
        busy.wait()
    }
}
