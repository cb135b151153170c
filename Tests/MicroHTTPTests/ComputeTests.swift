import Dispatch
import Foundation
import MicroHTTP
import TestSupport
import XCTest

/// Compute routes on their own bounded pool: quick routes answer while every compute thread is
/// busy, the queue sheds past its bound, and the drain deadline cancels what still computes.
final class ComputeTests: XCTestCase {
    func testInlineRoutesAnswerWhileEveryComputeThreadIsBusy() throws {
        let gate = Gate()
        let s = try makeServer({ $0.threads = 1; $0.computeThreads = 1 }) { router in
            router.add(.post, "/slow", .compute) { _ in gate.pass(); return Response(status: 200) }
            router.add(.get, "/healthz") { _ in Response(status: 200, contentType: "text/plain", body: Array("ok".utf8)) }
        }
        defer { s.stop() }
        let slow = DispatchGroup()
        DispatchQueue.global().async(group: slow) { _ = try? HTTPClient.send(port: s.port, path: "/slow") }
        XCTAssertTrue(gate.waitForArrival())
        // The one I/O thread and the one compute thread are taken; the probe must still answer.
        let probe = try HTTPClient.send(port: s.port, method: "GET", path: "/healthz")
        XCTAssertEqual(probe.text, "ok")
        XCTAssertEqual(s.statistics.requestsComputing, 1)
        gate.open()
        slow.wait()
    }

    func testRequestsPastTheQueueAreShed503() throws {
        let gate = Gate()
        let recorder = Recorder()
        let s = try makeServer({ $0.computeThreads = 1; $0.maxQueuedRequests = 1 }, recorder: recorder) { router in
            router.add(.post, "/slow", .compute) { _ in gate.pass(); return Response(status: 200) }
        }
        defer { s.stop() }
        let group = DispatchGroup()
        let statuses = StatusList()
        DispatchQueue.global().async(group: group) { statuses.add { try HTTPClient.send(port: s.port, path: "/slow") } }
        XCTAssertTrue(gate.waitForArrival())
        DispatchQueue.global().async(group: group) { statuses.add { try HTTPClient.send(port: s.port, path: "/slow") } }
        XCTAssertTrue(eventually { s.statistics.requestsQueued == 1 })
        let shed = try HTTPClient.send(port: s.port, path: "/slow")
        XCTAssertEqual(shed.status, 503)
        XCTAssertEqual(shed.headers["retry-after"], "1")
        XCTAssertTrue(shed.text.contains("--max-queued-requests"), shed.text)
        XCTAssertEqual(shed.headers["content-type"], "application/problem+json")
        gate.open(2)
        group.wait()
        XCTAssertEqual(statuses.all.sorted(), [200, 200])
        XCTAssertTrue(eventually { recorder.all.contains { $0.shed == .queue && $0.status == 503 } })
    }

    /// At the drain deadline the computation still running gets its cancellation signal and its
    /// client a 503 with Retry-After; drain returns within the deadline and a bit.
    func testTheDrainDeadlineCancelsComputations() throws {
        let sawCancel = Flag()
        let started = Gate()
        let s = try makeServer { router in
            router.add(.post, "/long", .compute) { request in
                started.open()
                request.cancellation.onCancel { sawCancel.set() }
                while !request.isCancelled { usleepMillis(5) }
                return Response(status: 200)
            }
        }
        let connection = try RawConnection(port: s.port)
        connection.send("POST /long HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
        XCTAssertTrue(eventually { s.statistics.requestsComputing == 1 })
        let t0 = MonotonicClock.now()
        let finished = s.drain(timeout: 0.3)
        let took = MonotonicClock.now() - t0
        XCTAssertFalse(finished)
        XCTAssertLessThan(took, 1.3, "drain must end within its timeout + 1 s")
        let r = try connection.readResponse()
        XCTAssertEqual(r.status, 503)
        XCTAssertEqual(r.headers["retry-after"], "1")
        XCTAssertTrue(r.text.contains("--drain-timeout"), r.text)
        XCTAssertTrue(eventually { sawCancel.isSet })
    }

    func testDrainWaitsForComputationsThatFinish() throws {
        let gate = Gate()
        let s = try makeServer { router in
            router.add(.post, "/work", .compute) { _ in gate.pass(); return Response(status: 200, contentType: "text/plain", body: Array("done".utf8)) }
        }
        let connection = try RawConnection(port: s.port)
        connection.send("POST /work HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
        XCTAssertTrue(gate.waitForArrival())
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { gate.open() }
        XCTAssertTrue(s.drain(timeout: 5))
        XCTAssertEqual(try connection.readResponse().text, "done")
    }

    func testServerTimingHasEveryStageWithinTotal() throws {
        let s = try makeServer { router in
            router.add(.post, "/timed", .compute) { _ in
                usleepMillis(20)
                var r = Response(status: 200, contentType: "text/plain", body: Array("x".utf8))
                r.timings = [StageTiming("parse", seconds: 0.004), StageTiming("pool", seconds: 0.012)]
                return r
            }
        }
        defer { s.stop() }
        let r = try HTTPClient.send(port: s.port, path: "/timed", body: Array("{}".utf8))
        let header = try XCTUnwrap(r.headers["server-timing"])
        var stages: [String: Double] = [:]
        for item in header.split(separator: ",") {
            let parts = item.split(separator: ";")
            let name = parts[0].trimmingCharacters(in: .whitespaces)
            let dur = parts.first { $0.hasPrefix("dur=") }.map { Double($0.dropFirst(4)) ?? -1 } ?? -1
            stages[name] = dur
        }
        XCTAssertEqual(Set(stages.keys), ["recv", "queue", "parse", "pool", "total"], header)
        let total = try XCTUnwrap(stages["total"])
        XCTAssertEqual(stages["parse"], 4)
        XCTAssertGreaterThanOrEqual(total, 20)
        XCTAssertLessThanOrEqual(stages.filter { $0.key != "total" }.values.reduce(0, +), total, header)
    }
}

final class StatusList: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [Int] = []
    func add(_ r: RawResponse?) { lock.lock(); list.append(r?.status ?? -1); lock.unlock() }
    func add(_ body: () throws -> RawResponse) {
        do { add(try body()) } catch { print("REQUEST FAILED: \(error)"); add(nil) }
    }
    var all: [Int] { lock.lock(); defer { lock.unlock() }; return list }
}

final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.lock(); value = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
}
