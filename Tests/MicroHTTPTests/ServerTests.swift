import Dispatch
import MicroHTTP
import TestSupport
import XCTest

/// The server over real sockets: routing, bodies, the body limit, concurrency, stopping.
final class ServerTests: XCTestCase {
    private func echoServer(maxBody: Int = 1 << 20) throws -> Server {
        var router = Router()
        router.vocabulary = testVocabulary
        router.setErrorWriter(forPrefix: "/other") { status, detail, headers in
            Response(status: status, headers: [("Content-Type", "application/json")] + headers, body: Array("{\"error\":\"\(detail)\"}".utf8))
        }
        router.add(.post, "/other/x") { _ in Response(status: 200) }
        router.add(.post, "/echo") { request in
            Response(status: 200, headers: [("Content-Type", "application/octet-stream"),
                                            ("X-Seen-Type", request.header("CONTENT-TYPE") ?? "none")], body: request.body)
        }
        router.add(.get, "/hello") { _ in Response(status: 200, contentType: "text/plain", body: Array("hi".utf8)) }
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.maxBodyBytes = maxBody
        return try Server(configuration: configuration, router: router)
    }

    func testEarlyAnswersUseThePathsErrorWriter() throws {
        let server = try echoServer(maxBody: 1000)
        defer { server.stop() }
        let head = "POST /other/x HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n"
        let r = try HTTPClient.exchange(port: server.port, Array(head.utf8), timeoutSeconds: 10)
        XCTAssertEqual(r.status, 413)
        XCTAssertEqual(r.headers["content-type"], "application/json")
        XCTAssertTrue(r.text.hasPrefix("{\"error\":\"request body is larger than the limit of 1000 bytes"), r.text)
    }

    func testRoutesEchoAndHeaders() throws {
        let server = try echoServer()
        defer { server.stop() }
        XCTAssertGreaterThan(server.port, 0)
        let body = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let r = try HTTPClient.send(port: server.port, path: "/echo", body: body, headers: [("Content-Type", "x/y")])
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.body, body)
        XCTAssertEqual(r.headers["x-seen-type"], "x/y")
        XCTAssertEqual(try HTTPClient.send(port: server.port, method: "GET", path: "/hello").text, "hi")
        XCTAssertEqual(try HTTPClient.send(port: server.port, path: "/nowhere").status, 404)
        let wrong = try HTTPClient.send(port: server.port, method: "DELETE", path: "/echo")
        XCTAssertEqual(wrong.status, 405)
        XCTAssertEqual(wrong.headers["allow"], "POST")
        XCTAssertEqual(wrong.headers["content-type"], "application/problem+json")
    }

    func testA405WithABodyPastTheLimitIsAnsweredNotDropped() throws {
        let server = try echoServer(maxBody: 100)
        defer { server.stop() }
        // The body is read past for a 405 only up to the body limit; past it the answer still comes.
        let r = try HTTPClient.send(port: server.port, method: "PUT", path: "/echo", body: [UInt8](repeating: 1, count: 5000))
        XCTAssertEqual(r.status, 405, r.text)
        XCTAssertEqual(r.headers["allow"], "POST")
    }

    func testDeclaredBodyOverTheLimitIs413BeforeTheBodyIsSent() throws {
        let server = try echoServer(maxBody: 1000)
        defer { server.stop() }
        // Only the head is sent: the answer must come without the 10 MB the head announces.
        let head = "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n"
        let r = try HTTPClient.exchange(port: server.port, Array(head.utf8), timeoutSeconds: 10)
        XCTAssertEqual(r.status, 413)
        XCTAssertTrue(r.text.contains("--max-body-bytes"), r.text)
        XCTAssertEqual(try HTTPClient.send(port: server.port, path: "/echo", body: [UInt8](repeating: 1, count: 1000)).status, 200)
    }

    func testConcurrentClients() throws {
        let server = try echoServer()
        defer { server.stop() }
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 64) { i in
            let body = Array("request \(i)".utf8)
            let r = try? HTTPClient.send(port: server.port, path: "/echo", body: body)
            if r?.body != body { failures.add() }
        }
        XCTAssertEqual(failures.count, 0)
    }

    func testStartErrorsAndStop() throws {
        var bad = ServerConfiguration()
        bad.host = "not-an-address"
        XCTAssertThrowsError(try Server(configuration: bad, router: Router())) { error in
            XCTAssertEqual(error as? ServerError, .invalidHost("not-an-address"))
        }
        let server = try echoServer()
        var taken = ServerConfiguration()
        taken.port = server.port
        XCTAssertThrowsError(try Server(configuration: taken, router: Router()), "the port is in use")
        let port = server.port
        server.stop()
        server.stop()
        XCTAssertThrowsError(try HTTPClient.send(port: port, method: "GET", path: "/hello"))
    }
}

/// A thread-safe counter.
final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func add() { lock.lock(); n += 1; lock.unlock() }
    var count: Int { lock.lock(); defer { lock.unlock() }; return n }
}

import Foundation
