@testable import MicroHTTP
import TestSupport
import XCTest

/// Request bodies in gzip and deflate, refused codings, and gzip answers.
final class ContentEncodingTests: XCTestCase {
    private func echoServer(maxBody: Int = 1 << 20, gzip: Bool = true) throws -> Server {
        try makeServer({ $0.maxBodyBytes = maxBody; $0.gzipResponses = gzip }) { router in
            router.add(.post, "/echo", .compute) { request in
                Response(status: 200, contentType: "application/octet-stream", body: request.body)
            }
            router.add(.get, "/small") { _ in Response(status: 200, contentType: "text/plain", body: Array("tiny".utf8)) }
        }
    }

    private let text = Array((0..<50_000).map { "\($0 % 977)," }.joined().utf8)

    func testGzipAndDeflateBodiesAreDecoded() throws {
        let s = try echoServer()
        defer { s.stop() }
        for (coding, bits) in [("gzip", Int32(31)), ("x-gzip", 31), ("deflate", 15), ("deflate", -15)] {
            let body = Zlib.compress(text, windowBits: bits)
            let r = try HTTPClient.send(port: s.port, path: "/echo", body: body, headers: [("Content-Encoding", coding)])
            XCTAssertEqual(r.status, 200, "\(coding) \(bits): \(r.text.prefix(200))")
            XCTAssertEqual(r.body, text, "\(coding) \(bits)")
        }
        // Two gzip members one after the other are one body (RFC 1952).
        let two = Zlib.compress(Array(text[0..<1000])) + Zlib.compress(Array(text[1000...]))
        XCTAssertEqual(try HTTPClient.send(port: s.port, path: "/echo", body: two, headers: [("Content-Encoding", "gzip")]).body, text)
    }

    func testBrokenAndTruncatedGzipAre400() throws {
        let s = try echoServer()
        defer { s.stop() }
        let good = Zlib.compress(text)
        for body in [Array(good.prefix(good.count / 2)), [0x1f, 0x8b] + [UInt8](repeating: 7, count: 100), Array("{}".utf8)] {
            let r = try HTTPClient.send(port: s.port, path: "/echo", body: body, headers: [("Content-Encoding", "gzip")])
            XCTAssertEqual(r.status, 400, r.text)
            XCTAssertEqual(r.headers["content-type"], "application/problem+json")
        }
    }

    /// A 76 KB gzip that inflates to 80 MB is 413 (naming the flag) once the decoded bytes
    /// pass the limit, without decoding the rest.
    func testDecodedSizeCountsAgainstTheBodyLimit() throws {
        let s = try echoServer(maxBody: 1 << 20)
        defer { s.stop() }
        let bomb = Zlib.compress([UInt8](repeating: 0x20, count: 80 << 20))
        XCTAssertLessThan(bomb.count, 100_000)
        let r = try HTTPClient.send(port: s.port, path: "/echo", body: bomb, headers: [("Content-Encoding", "gzip")])
        XCTAssertEqual(r.status, 413)
        XCTAssertTrue(r.text.contains("--max-body-bytes"), r.text)
        XCTAssertEqual(s.budget.reserved, 0)
    }

    func testOtherCodingsAre415WithAcceptEncoding() throws {
        let s = try echoServer()
        defer { s.stop() }
        for coding in ["br", "compress", "gzip, br", "zstd"] {
            let r = try HTTPClient.send(port: s.port, path: "/echo", body: text, headers: [("Content-Encoding", coding)])
            XCTAssertEqual(r.status, 415, coding)
            XCTAssertEqual(r.headers["accept-encoding"], "gzip, deflate")
            XCTAssertEqual(r.headers["content-type"], "application/problem+json")
        }
        XCTAssertEqual(try HTTPClient.send(port: s.port, path: "/echo", body: text, headers: [("Content-Encoding", "identity")]).body, text)
    }

    func testAnswersAreCompressedWhenTheClientAcceptsIt() throws {
        let s = try echoServer()
        defer { s.stop() }
        let zipped = try HTTPClient.send(port: s.port, path: "/echo", body: text, headers: [("Accept-Encoding", "deflate;q=0.5, gzip;q=0.8")])
        XCTAssertEqual(zipped.headers["content-encoding"], "gzip")
        XCTAssertEqual(zipped.headers["vary"], "Accept-Encoding")
        XCTAssertLessThan(zipped.body.count, text.count / 2)
        XCTAssertEqual(Zlib.decompress(zipped.body), text)
        for accepting in ["deflate", "deflate, gzip;q=0.8", "gzip;q=0, *;q=1"] {
            let deflated = try HTTPClient.send(port: s.port, path: "/echo", body: text, headers: [("Accept-Encoding", accepting)])
            XCTAssertEqual(deflated.headers["content-encoding"], "deflate", accepting)
            XCTAssertEqual(Array(deflated.body.prefix(1)), [0x78], "the zlib format (RFC 1950), as HTTP's deflate is: \(accepting)")
            XCTAssertEqual(Zlib.decompress(deflated.body), text, accepting)
        }
        for refusing in ["gzip;q=0", "identity", "br", "gzip;q=0, deflate;q=0", ""] {
            let plain = try HTTPClient.send(port: s.port, path: "/echo", body: text, headers: [("Accept-Encoding", refusing)])
            XCTAssertNil(plain.headers["content-encoding"], refusing)
            XCTAssertEqual(plain.headers["vary"], "Accept-Encoding", refusing)
            XCTAssertEqual(plain.body, text, refusing)
        }
        let star = try HTTPClient.send(port: s.port, path: "/echo", body: text, headers: [("Accept-Encoding", "*;q=0.5")])
        XCTAssertEqual(star.headers["content-encoding"], "gzip")
        let small = try HTTPClient.send(port: s.port, method: "GET", path: "/small", headers: [("Accept-Encoding", "gzip")])
        XCTAssertNil(small.headers["content-encoding"], "answers under 1 KiB are not compressed")
        XCTAssertEqual(small.text, "tiny")
    }

    func testCompressionCanBeTurnedOff() throws {
        let s = try echoServer(gzip: false)
        defer { s.stop() }
        let r = try HTTPClient.send(port: s.port, path: "/echo", body: text, headers: [("Accept-Encoding", "gzip")])
        XCTAssertNil(r.headers["content-encoding"])
        XCTAssertNil(r.headers["vary"])
        XCTAssertEqual(r.body, text)
    }

    func testAcceptEncodingParsing() {
        XCTAssertEqual(AcceptEncoding.preferred("gzip"), .gzip)
        XCTAssertEqual(AcceptEncoding.preferred("br;q=1.0, GZIP;q=0.1"), .gzip)
        XCTAssertNil(AcceptEncoding.preferred("gzip;q=0.000"))
        XCTAssertNil(AcceptEncoding.preferred("*;q=0"))
        XCTAssertEqual(AcceptEncoding.preferred("*"), .gzip, "gzip on a tie")
        XCTAssertEqual(AcceptEncoding.preferred("gzip;q=0, *"), .deflate, "anything but gzip")
        XCTAssertEqual(AcceptEncoding.preferred("deflate, gzip"), .gzip, "gzip on a tie")
        XCTAssertEqual(AcceptEncoding.preferred("deflate;q=0.9, gzip;q=0.5"), .deflate)
        XCTAssertNil(AcceptEncoding.preferred("gzip;q=0, deflate;q=0, *"))
        XCTAssertNil(AcceptEncoding.preferred(nil))
        XCTAssertNil(AcceptEncoding.preferred("gzip;q=x"))
    }
}
