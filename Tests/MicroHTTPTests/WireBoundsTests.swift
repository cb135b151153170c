import Dispatch
import Foundation
import MicroHTTP
import TestSupport
import XCTest

/// Uploads are bounded on the wire as well as after decoding: raw bytes, compression ratio, a
/// minimum body rate; the reservation follows the bytes that arrived; the drain answers uploads.
final class WireBoundsTests: XCTestCase {
    private func server(_ configure: (inout ServerConfiguration) -> Void = { _ in }) throws -> Server {
        // A generous head deadline: under ThreadSanitizer a 5 MB upload takes seconds to read.
        try makeServer({ c in c.maxBodyBytes = 1 << 20; c.headerTimeout = 120; configure(&c) }) { router in
            router.add(.post, "/echo") { request in Response(status: 200, contentType: "text/plain", body: Array("\(request.body.count)".utf8)) }
        }
    }

    /// zlib's header, then empty stored blocks for ever: decodes to nothing, so only a bound on
    /// the bytes read off the wire stops it.
    private static func emptyBlocks(_ count: Int) -> [UInt8] {
        [0x78, 0x01] + Array([[UInt8]](repeating: [0x00, 0x00, 0x00, 0xFF, 0xFF], count: count).joined())
    }

    private func chunked(_ body: [UInt8], piece: Int = 1 << 16) -> [UInt8] {
        var out: [UInt8] = []
        var k = 0
        while k < body.count {
            let n = min(piece, body.count - k)
            out += Array(String(n, radix: 16).utf8) + [13, 10] + body[k..<(k + n)] + [13, 10]
            k += n
        }
        return out + Array("0\r\n\r\n".utf8)
    }

    func testABodyThatDecodesToNothingIsStoppedAtTheWireLimit() throws {
        let s = try server { $0.maxWireBytes = 1 << 20 }
        defer { s.stop() }
        let c = try RawConnection(port: s.port)
        let head = "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Encoding: deflate\r\nTransfer-Encoding: chunked\r\n\r\n"
        _ = c.send(Array(head.utf8) + chunked(Self.emptyBlocks(1_000_000)))
        let r = try c.readResponse()
        XCTAssertEqual(r.status, 413, r.text)
        XCTAssertTrue(r.text.contains("--max-wire-bytes"), r.text)
        XCTAssertTrue(eventually { s.budget.reserved == 0 })
    }

    func testADeclaredBodyPastTheWireLimitIsRefusedBeforeItIsSent() throws {
        let s = try server { $0.maxWireBytes = 1000 }
        defer { s.stop() }
        let r = try HTTPClient.exchange(port: s.port, Array("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n".utf8), timeoutSeconds: 10)
        XCTAssertEqual(r.status, 413)
        XCTAssertTrue(r.text.contains("--max-wire-bytes"), r.text)
    }

    func testACompressionRatioPastTheCapIs413() throws {
        let s = try server { $0.maxBodyBytes = 16 << 20; $0.maxCompressionRatio = 100 }
        defer { s.stop() }
        let packed = Zlib.compress([UInt8](repeating: 0, count: 8 << 20))
        let r = try HTTPClient.send(port: s.port, path: "/echo", body: packed, headers: [("Content-Encoding", "gzip")])
        XCTAssertEqual(r.status, 413, r.text)
        XCTAssertTrue(r.text.contains("--max-compression-ratio"), r.text)
        // Ordinary compression stays well under the cap.
        let text = Array((0..<200_000).map { "\($0 % 977)," }.joined().utf8)
        let ok = try HTTPClient.send(port: s.port, path: "/echo", body: Zlib.compress(text), headers: [("Content-Encoding", "gzip")])
        XCTAssertEqual(ok.text, "\(text.count)")
    }

    /// A body that trickles below the minimum rate is answered 408 once its time is up (the
    /// time after the head, plus a second per `minBodyRate` bytes), and the connection closed.
    func testABodyBelowTheMinimumRateIs408() throws {
        let s = try server { $0.bodyTimeout = 0.5; $0.minBodyRate = 1000 }
        defer { s.stop() }
        let c = try RawConnection(port: s.port, timeoutSeconds: 20)
        _ = c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n0123456789")
        let r = try c.readResponse()
        XCTAssertEqual(r.status, 408, r.text)
        XCTAssertTrue(r.text.contains("--min-body-rate"), r.text)
        XCTAssertNotNil(c.readToClose(), "the connection is closed after the answer")
        XCTAssertTrue(eventually { s.budget.reserved == 0 })
    }

    /// Connections that declare large bodies and send nothing hold no budget: other clients are
    /// still served.
    func testTheReservationFollowsTheBytesThatArrived() throws {
        let s = try server { $0.maxBodyBytes = 64 << 20; $0.maxWireBytes = 64 << 20; $0.maxInflightBytes = 128 << 20 }
        defer { s.stop() }
        var tricklers: [RawConnection] = []
        for _ in 0..<5 {
            let c = try RawConnection(port: s.port)
            _ = c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 60000000\r\n\r\n0")
            tricklers.append(c)
        }
        XCTAssertTrue(eventually { s.statistics.requestsInFlight == 5 })
        XCTAssertLessThan(s.budget.reserved, 5 << 20, "five heads declaring 60 MB each reserve only what arrived")
        let r = try HTTPClient.send(port: s.port, path: "/echo", body: [UInt8](repeating: 1, count: 1 << 20))
        XCTAssertEqual(r.status, 200, r.text)
        // A body that could never fit the whole budget is still refused at its head.
        let huge = try HTTPClient.exchange(port: s.port, Array("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 64000000\r\n\r\n".utf8), timeoutSeconds: 10)
        XCTAssertGreaterThan(3 * 64_000_000, s.budget.limit)
        XCTAssertEqual(huge.status, 503, huge.text)
        withExtendedLifetime(tricklers) {}
    }

    /// At the end of the drain, an upload still arriving gets 503 with Retry-After, not a
    /// closed connection.
    func testTheDrainAnswersAnUploadStillArriving() throws {
        let s = try server { $0.bodyTimeout = 60 }
        let c = try RawConnection(port: s.port, timeoutSeconds: 20)
        _ = c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n0123456789")
        XCTAssertTrue(eventually { s.statistics.requestsInFlight == 1 })
        let drained = DispatchGroup()
        DispatchQueue.global().async(group: drained) { _ = s.drain(timeout: 0.5) }
        let r = try c.readResponse()
        XCTAssertEqual(r.status, 503, r.text)
        XCTAssertEqual(r.headers["retry-after"], "1")
        XCTAssertTrue(r.text.contains("--drain-timeout"), r.text)
        drained.wait()
    }
}

/// The exchange reported for an answer says what the client really received.
final class SentBytesTests: XCTestCase {
    func testAnAnswerTheClientLeftIsReportedIncompleteWithWhatItReceived() throws {
        let recorder = Recorder()
        let big = [UInt8](repeating: 0x61, count: 32 << 20)
        let s = try makeServer({ $0.gzipResponses = false }, recorder: recorder) { router in
            router.add(.get, "/big") { _ in Response(status: 200, contentType: "application/octet-stream", body: big) }
            router.add(.get, "/small") { _ in Response(status: 200, contentType: "text/plain", body: Array("ok".utf8)) }
        }
        defer { s.stop() }
        do {
            let c = try RawConnection(port: s.port)
            _ = c.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
            _ = try c.readResponse(toHead: true)
            // Read a little, then hang up with the rest unread (the close resets the connection).
        }
        XCTAssertTrue(eventually { recorder.all.contains { $0.path == "/big" } })
        let left = try XCTUnwrap(recorder.all.first { $0.path == "/big" })
        XCTAssertFalse(left.complete)
        let sent = try XCTUnwrap(left.bytesOut)
        XCTAssertLessThan(sent, big.count, "only what the client acknowledged is counted")
        XCTAssertEqual(try HTTPClient.send(port: s.port, method: "GET", path: "/small").text, "ok")
        XCTAssertTrue(eventually { recorder.all.contains { $0.path == "/small" } })
        let whole = try XCTUnwrap(recorder.all.first { $0.path == "/small" })
        XCTAssertTrue(whole.complete)
        XCTAssertEqual(whole.bytesOut, 2)
    }
}
