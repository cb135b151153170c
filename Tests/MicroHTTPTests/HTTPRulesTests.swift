import Foundation
import MicroHTTP
import TestSupport
import XCTest

/// The HTTP (v3) rules of the contract on a real socket: paths as sent, control characters,
/// `Host`, `Transfer-Encoding`, HEAD.
final class HTTPRulesTests: XCTestCase {
    private func server() throws -> Server {
        try makeServer { router in
            router.add(.post, "/pool/forward") { _ in Response(status: 200, contentType: "text/plain", body: Array("forward".utf8)) }
            router.add(.get, "/healthz") { _ in Response(status: 200, contentType: "application/json", body: Array("{\"status\":\"ok\"}".utf8)) }
        }
    }

    private func raw(_ port: Int, _ requestLine: [UInt8], headers: String = "Host: x\r\n", body: String = "{}") throws -> RawResponse {
        let head = Array("\(headers)Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n".utf8)
        return try HTTPClient.exchange(port: port, requestLine + Array("\r\n".utf8) + head + Array(body.utf8), timeoutSeconds: 10)
    }

    private func isProblem(_ r: RawResponse, _ status: Int) -> Bool {
        guard r.status == status, r.headers["content-type"] == "application/problem+json",
              let object = try? JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any] else { return false }
        return object["status"] as? Int == status
    }

    func testPathsAreMatchedAsSent() throws {
        let s = try server()
        defer { s.stop() }
        XCTAssertEqual(try raw(s.port, Array("POST /pool/forward HTTP/1.1".utf8)).text, "forward")
        for path in ["/pool%2fforward", "/pool%2Fforward", "/pool/forwar%64", "/pool/forward/"] {
            XCTAssertTrue(isProblem(try raw(s.port, Array("POST \(path) HTTP/1.1".utf8)), 404), path)
        }
    }

    func testControlCharactersInThePathAre400() throws {
        let s = try server()
        defer { s.stop() }
        for path in ["/pool/forward%00xyz", "/pool/forward%00/anything", "/x%0A2030-01-01T00:00:00+0000%20critical", "/a%1b[31m", "/a%7F"] {
            let r = try raw(s.port, Array("POST \(path) HTTP/1.1".utf8))
            XCTAssertTrue(isProblem(r, 400), "\(path): \(r.status) \(r.text)")
        }
        // Raw bytes: a NUL, an escape, a bare CR, a tab inside the target.
        for bad: [UInt8] in [[0], [0x1B], [0x0D], [0x09], [0x7F]] {
            let line = Array("POST /pool/forward".utf8) + bad + Array("xyz HTTP/1.1".utf8)
            let r = try raw(s.port, line)
            XCTAssertTrue(isProblem(r, 400), "raw \(bad): \(r.status) \(r.text)")
        }
        // A percent-encoded control character in the query is data, not an error.
        XCTAssertEqual(try raw(s.port, Array("POST /pool/forward?note=a%0Ab HTTP/1.1".utf8)).status, 200)
    }

    func testHTTP11WithoutHostIs400() throws {
        let s = try server()
        defer { s.stop() }
        XCTAssertTrue(isProblem(try raw(s.port, Array("POST /pool/forward HTTP/1.1".utf8), headers: ""), 400))
        XCTAssertTrue(isProblem(try raw(s.port, Array("POST /pool/forward HTTP/1.1".utf8), headers: "Host: a\r\nHost: b\r\n"), 400))
        XCTAssertEqual(try raw(s.port, Array("POST /pool/forward HTTP/1.0".utf8), headers: "").status, 200, "HTTP/1.0 needs no Host")
    }

    func testUnknownTransferEncodingIs501() throws {
        let s = try server()
        defer { s.stop() }
        let request = "POST /pool/forward HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\nConnection: close\r\n\r\n"
        let r = try HTTPClient.exchange(port: s.port, Array(request.utf8), timeoutSeconds: 10)
        XCTAssertTrue(isProblem(r, 501), "\(r.status) \(r.text)")
    }

    func testHeadAnswersAsGetWithoutTheBody() throws {
        let s = try server()
        defer { s.stop() }
        let get = try RawConnection(port: s.port)
        get.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        let g = try get.readResponse()
        let head = try RawConnection(port: s.port)
        head.send("HEAD /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        let h = try head.readResponse(toHead: true)
        XCTAssertEqual(h.status, g.status)
        XCTAssertEqual(h.headers["content-length"], String(g.body.count))
        XCTAssertEqual(h.headers["content-type"], g.headers["content-type"])
        XCTAssertEqual(head.readToClose(), [], "no body after the head")
        let wrong = try HTTPClient.send(port: s.port, method: "DELETE", path: "/healthz")
        XCTAssertEqual(wrong.status, 405)
        XCTAssertEqual(wrong.headers["allow"], "GET, HEAD")
        XCTAssertEqual(try HTTPClient.send(port: s.port, method: "GET", path: "/pool/forward").headers["allow"], "POST")
        XCTAssertEqual(try HTTPClient.send(port: s.port, method: "HEAD", path: "/pool/forward").status, 405)
    }

    func testOverlongTargetAndHeadAreProblems() throws {
        let s = try server()
        defer { s.stop() }
        let long = "/" + String(repeating: "a", count: 9000)
        XCTAssertTrue(isProblem(try raw(s.port, Array("POST \(long) HTTP/1.1".utf8)), 414))
        let big = "Host: x\r\nX-Big: \(String(repeating: "b", count: 40_000))\r\n"
        XCTAssertTrue(isProblem(try raw(s.port, Array("POST /pool/forward HTTP/1.1".utf8), headers: big), 431))
    }
}
