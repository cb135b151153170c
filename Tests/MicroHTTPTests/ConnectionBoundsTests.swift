import Foundation
import MicroHTTP
import TestSupport
import XCTest

/// Fair connections: a deadline for the request head, and connections per address.
final class ConnectionBoundsTests: XCTestCase {
    /// A head trickled one byte at a time (each within the idle timeout) is cut at the head
    /// deadline with a 408.
    func testATrickledHeadIsCutAtTheHeadDeadline() throws {
        let s = try makeServer({ $0.headerTimeout = 1; $0.connectionTimeout = 30 }) { router in
            router.add(.get, "/x") { _ in Response(status: 200) }
        }
        defer { s.stop() }
        let connection = try RawConnection(port: s.port, timeoutSeconds: 1)
        let head = Array("GET /x HTTP/1.1\r\nHost: x\r\nX-Slow: \(String(repeating: "s", count: 60))\r\n\r\n".utf8)
        var cut = false
        for byte in head {
            if !connection.send([byte]) { cut = true; break }
            usleepMillis(100)
            var probe = pollfd(fd: connection.fd, events: Int16(POLLIN), revents: 0)
            if poll(&probe, 1, 0) > 0 { cut = true; break }
        }
        XCTAssertTrue(cut, "the connection must be cut before the 8 s the head takes")
        let answer = String(decoding: connection.readToClose() ?? [], as: UTF8.self)
        XCTAssertTrue(answer.hasPrefix("HTTP/1.1 408"), answer)
        XCTAssertTrue(answer.contains("application/problem+json"), answer)
    }

    func testAKeptConnectionIsNotCutByTheHeadDeadline() throws {
        let s = try makeServer({ $0.headerTimeout = 1; $0.connectionTimeout = 30 }) { router in
            router.add(.get, "/x") { _ in Response(status: 200, contentType: "text/plain", body: Array("x".utf8)) }
        }
        defer { s.stop() }
        let connection = try RawConnection(port: s.port)
        connection.send("GET /x HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertEqual(try connection.readResponse().text, "x")
        usleepMillis(1600)
        connection.send("GET /x HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertEqual(try connection.readResponse().text, "x", "idle between requests is the idle timeout's business")
    }

    func testConnectionsPerAddressAreBounded() throws {
        let s = try makeServer({ $0.maxConnectionsPerAddress = 3 }) { router in
            router.add(.get, "/x") { _ in Response(status: 200, contentType: "text/plain", body: Array("x".utf8)) }
        }
        defer { s.stop() }
        let held = try (0..<3).map { _ in try RawConnection(port: s.port) }
        XCTAssertTrue(eventually { s.statistics.openConnections == 3 })
        let extra = try RawConnection(port: s.port, timeoutSeconds: 5)
        extra.send("GET /x HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertEqual(extra.readToClose() ?? [], [], "refused unanswered")
        let other = try RawConnection(port: s.port, source: "127.0.0.2")
        other.send("GET /x HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertEqual(try other.readResponse().text, "x", "another address is served")
        _ = held
    }
}
