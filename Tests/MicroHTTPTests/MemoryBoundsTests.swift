import Dispatch
import Foundation
import MicroHTTP
import TestSupport
import XCTest

/// The memory budget, the body limit on chunked bodies, and memory given back at every end.
final class MemoryBoundsTests: XCTestCase {
    func testADeclaredBodyPastTheBudgetIs503BeforeItIsRead() throws {
        let recorder = Recorder()
        let s = try makeServer({ $0.maxInflightBytes = 3_000_000; $0.reservationFactor = 3; $0.maxBodyBytes = 10 << 20 },
                               recorder: recorder) { router in
            router.add(.post, "/echo", .compute) { Response(status: 200, body: $0.body) }
        }
        defer { s.stop() }
        // Only the head is sent: the answer must come without the body.
        let head = "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n"
        let r = try HTTPClient.exchange(port: s.port, Array(head.utf8), timeoutSeconds: 10)
        XCTAssertEqual(r.status, 503)
        XCTAssertEqual(r.headers["retry-after"], "1")
        XCTAssertTrue(r.text.contains("--max-inflight-bytes"), r.text)
        XCTAssertEqual(try HTTPClient.send(port: s.port, path: "/echo", body: [UInt8](repeating: 1, count: 900_000)).status, 200)
        XCTAssertTrue(eventually { s.budget.reserved == 0 })
        XCTAssertTrue(recorder.all.contains { $0.shed == .memory })
    }

    func testHandlersTopUpTheirReservation() throws {
        let s = try makeServer({ $0.maxInflightBytes = 1_000_000 }) { router in
            router.add(.post, "/reserve", .compute) { request in
                let small = request.reserve(100_000)
                let huge = request.reserve(10_000_000)
                return Response(status: 200, contentType: "text/plain", body: Array("\(small) \(huge) \(request.memory.bytes)".utf8))
            }
        }
        defer { s.stop() }
        XCTAssertEqual(try HTTPClient.send(port: s.port, path: "/reserve", body: [UInt8](repeating: 1, count: 10)).text, "true false 100030")
        XCTAssertTrue(eventually { s.budget.reserved == 0 })
        XCTAssertTrue(Request(method: .get, path: "/").reserve(Int.max / 2), "a request made outside a server has no budget")
    }

    /// libmicrohttpd cannot queue an answer in the middle of a body; the server writes the 413
    /// itself as soon as a chunked body passes the limit, before the body ends.
    func testChunkedBodyPastTheLimitIs413AtOnce() throws {
        let s = try makeServer({ $0.maxBodyBytes = 100_000 }) { router in
            router.add(.post, "/echo") { Response(status: 200, body: $0.body) }
        }
        defer { s.stop() }
        let connection = try RawConnection(port: s.port)
        connection.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        let chunk = Array("4000\r\n".utf8) + [UInt8](repeating: 65, count: 0x4000) + Array("\r\n".utf8)
        for _ in 0..<8 { connection.send(chunk) } // 128 KiB: past the limit, the body not ended
        let r = try connection.readResponse()
        XCTAssertEqual(r.status, 413)
        XCTAssertEqual(r.headers["content-type"], "application/problem+json")
        XCTAssertTrue(r.text.contains("--max-body-bytes"), r.text)
        // The server goes on serving.
        var small = Array("POST /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
        small += Array("5\r\nhello\r\n3\r\n!!!\r\n0\r\n\r\n".utf8)
        XCTAssertEqual(try HTTPClient.exchange(port: s.port, small, timeoutSeconds: 10).text, "hello!!!")
    }

    func testChunkedBodyPastTheBudgetIs503AtOnce() throws {
        let s = try makeServer({ $0.maxInflightBytes = 300_000; $0.reservationFactor = 3; $0.maxBodyBytes = 10 << 20 }) { router in
            router.add(.post, "/echo") { Response(status: 200, body: $0.body) }
        }
        defer { s.stop() }
        let connection = try RawConnection(port: s.port)
        connection.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        let chunk = Array("4000\r\n".utf8) + [UInt8](repeating: 65, count: 0x4000) + Array("\r\n".utf8)
        for _ in 0..<8 { connection.send(chunk) }
        let r = try connection.readResponse()
        XCTAssertEqual(r.status, 503)
        XCTAssertTrue(r.text.contains("--max-inflight-bytes"), r.text)
        XCTAssertTrue(eventually { s.budget.reserved == 0 })
    }

    func testAHalfUploadGivesItsMemoryBackWhenTheClientGoes() throws {
        let s = try makeServer({ $0.maxBodyBytes = 10 << 20 }) { router in
            router.add(.post, "/echo", .compute) { Response(status: 200, body: $0.body) }
        }
        defer { s.stop() }
        do {
            let connection = try RawConnection(port: s.port)
            connection.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4000000\r\n\r\n")
            connection.send([UInt8](repeating: 66, count: 2_000_000))
            XCTAssertTrue(eventually { s.budget.reserved > 0 && s.statistics.requestsInFlight == 1 })
        } // closed here, half the body sent
        XCTAssertTrue(eventually { s.budget.reserved == 0 && s.statistics.requestsInFlight == 0 },
                      "reserved \(s.budget.reserved), in flight \(s.statistics.requestsInFlight)")
    }

    /// An answer waits for its reader against the budget; a client that reads nothing for the
    /// send timeout is dropped and its answer freed.
    func testAnAnswerNobodyReadsIsDroppedAfterTheSendTimeout() throws {
        let s = try makeServer({ $0.sendTimeout = 1; $0.connectionTimeout = 30 }) { router in
            router.add(.get, "/big") { _ in Response(status: 200, body: [UInt8](repeating: 67, count: 20 << 20)) }
        }
        defer { s.stop() }
        let connection = try RawConnection(port: s.port)
        var size: Int32 = 4096
        setsockopt(connection.fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        connection.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertTrue(eventually { s.budget.reserved >= 20 << 20 }, "the answer counts while it waits: \(s.budget.reserved)")
        XCTAssertTrue(eventually(8) { s.budget.reserved == 0 && s.statistics.openConnections == 0 },
                      "dropped and freed: reserved \(s.budget.reserved), open \(s.statistics.openConnections)")
    }

    func testPiecewiseBodiesStreamAndCount() throws {
        let s = try makeServer { router in
            router.add(.get, "/pieces") { _ in
                Response(status: 200, headers: [("Content-Type", "text/plain")],
                         producer: PiecewiseBody(pieceCount: 1000, retainedBytes: 5000) { k, buffer in
                             buffer += Array("piece \(k);".utf8)
                         })
            }
            router.add(.get, "/known") { _ in
                Response(status: 200, producer: PiecewiseBody(pieceCount: 3, length: 9) { _, buffer in buffer += Array("abc".utf8) })
            }
        }
        defer { s.stop() }
        let expected = (0..<1000).map { "piece \($0);" }.joined()
        let connection = try RawConnection(port: s.port)
        connection.send("GET /pieces HTTP/1.1\r\nHost: x\r\n\r\n")
        let r = try connection.readResponse()
        XCTAssertEqual(r.headers["transfer-encoding"], "chunked")
        XCTAssertEqual(r.text, expected)
        let gz = try HTTPClient.send(port: s.port, method: "GET", path: "/pieces", headers: [("Accept-Encoding", "gzip")])
        XCTAssertEqual(gz.headers["content-encoding"], "gzip")
        XCTAssertEqual(Zlib.decompress(RawConnection.dechunk(gz.body)).map { String(decoding: $0, as: UTF8.self) }, expected)
        let known = try HTTPClient.send(port: s.port, method: "GET", path: "/known")
        XCTAssertEqual(known.headers["content-length"], "9")
        XCTAssertEqual(known.text, "abcabcabc")
    }
}
