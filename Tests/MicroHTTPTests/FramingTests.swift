import Foundation
import MicroHTTP
import TestSupport
import XCTest

/// Message framing as RFC 9112 wants it, tried as a hostile client on a raw socket: a head
/// whose body length can be read two ways is refused with 400 and the connection closed, so
/// that no second request is read from its bytes (§6.3, §5.1, §5.2); a length past any limit
/// is 413 at once; every refusal is one answer with one status line; a target in absolute form
/// is routed by its path (§3.2.2).
final class FramingTests: XCTestCase {
    /// A request whose framing is read one way by the server and another by a front proxy: the
    /// 5-byte body "hello" followed by a second, hidden request.
    private static let smuggled = "helloGET /hidden HTTP/1.1\r\nHost: x\r\n\r\n"

    private func server(recorder: Recorder? = nil) throws -> Server {
        try makeServer(recorder: recorder) { router in
            router.add(.post, "/echo") { request in Response(status: 200, contentType: "text/plain", body: request.body) }
            router.add(.get, "/hidden") { _ in Response(status: 200, contentType: "text/plain", body: Array("hidden".utf8)) }
            router.add(.get, "/playground") { request in
                Response(status: 200, contentType: "text/plain", body: Array("playground \(request.path) ?\(request.query)".utf8))
            }
            router.add(.get, "/") { request in Response(status: 200, contentType: "text/plain", body: Array("root ?\(request.query)".utf8)) }
        }
    }

    /// What the server wrote for `bytes` up to its close, or nil when it kept the connection
    /// open for `seconds` (without the client closing its side first: the server must close).
    private func wire(_ port: Int, _ bytes: String, seconds: Int = 5) throws -> [UInt8]? {
        let connection = try RawConnection(port: port, timeoutSeconds: seconds)
        connection.send(bytes)
        return connection.readToClose()
    }

    /// The answers in `data`, read one after another by their `Content-Length`, and what is
    /// left that is not an answer.
    private func answers(in data: [UInt8]) -> (answers: [RawResponse], rest: [UInt8]) {
        var rest = data[...]
        var found: [RawResponse] = []
        while let end = RawConnection.find([13, 10, 13, 10], in: Array(rest)) {
            let head = String(decoding: rest.prefix(end), as: UTF8.self)
            let lines = head.components(separatedBy: "\r\n")
            let parts = lines[0].split(separator: " ")
            guard lines[0].hasPrefix("HTTP/1.1 "), parts.count >= 2, let status = Int(parts[1]) else { break }
            var headers: [String: String] = [:]
            for line in lines.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            guard let length = headers["content-length"].flatMap({ Int($0) }), rest.count >= end + 4 + length else { break }
            let bodyStart = rest.startIndex + end + 4
            found.append(RawResponse(status: status, headers: headers, body: Array(rest[bodyStart..<(bodyStart + length)])))
            rest = rest[(bodyStart + length)...]
        }
        return (found, Array(rest))
    }

    /// Lines that start like a status line, wherever they are (a second head inside a body too).
    private func statusLines(_ data: [UInt8]) -> Int {
        ("\n" + String(decoding: data, as: UTF8.self)).components(separatedBy: "\nHTTP/1.").count - 1
    }

    /// Asserts that `request` gets exactly one answer, with `status`, as problem+json, with
    /// `Connection: close`, and that the server then closes the connection.
    private func assertOneAnswerAndClose(_ port: Int, _ request: String, _ status: Int, _ label: String,
                                         file: StaticString = #filePath, line: UInt = #line) throws {
        guard let data = try wire(port, request) else {
            XCTFail("\(label): the server kept the connection open", file: file, line: line)
            return
        }
        let (found, rest) = answers(in: data)
        let text = String(decoding: data, as: UTF8.self)
        XCTAssertEqual(statusLines(data), 1, "\(label): \(text)", file: file, line: line)
        XCTAssertEqual(found.count, 1, "\(label): \(text)", file: file, line: line)
        XCTAssertEqual(rest, [], "\(label): bytes after the answer: \(String(decoding: rest, as: UTF8.self))", file: file, line: line)
        guard let answer = found.first else { return }
        XCTAssertEqual(answer.status, status, "\(label): \(text)", file: file, line: line)
        XCTAssertEqual(answer.headers["connection"], "close", "\(label): \(text)", file: file, line: line)
        XCTAssertEqual(answer.headers["content-type"], "application/problem+json", "\(label): \(text)", file: file, line: line)
        let problem = (try? JSONSerialization.jsonObject(with: Data(answer.body))) as? [String: Any]
        XCTAssertEqual(problem?["status"] as? Int, status, "\(label): \(answer.text)", file: file, line: line)
        XCTAssertFalse(text.contains("hidden"), "\(label): the hidden request was answered", file: file, line: line)
    }

    // MARK: Item 1: two readings of the body length: 400 and close

    func testContentLengthsThatDifferAre400AndClose() throws {
        let s = try server()
        defer { s.stop() }
        try assertOneAnswerAndClose(s.port, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 30\r\n\r\n" + Self.smuggled,
                                    400, "5 then 30")
        try assertOneAnswerAndClose(s.port, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 30\r\nContent-Length: 5\r\n\r\n" + Self.smuggled
                                    + String(repeating: "z", count: 30), 400, "30 then 5")
    }

    /// Identical values may be accepted (RFC 9110 §8.6), but like nginx the server takes no
    /// list or repeat: one answer, 400.
    func testRepeatedIdenticalContentLengthIs400AndClose() throws {
        let s = try server()
        defer { s.stop() }
        try assertOneAnswerAndClose(s.port, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n" + Self.smuggled,
                                    400, "two fields of 5")
    }

    func testWhitespaceBeforeTheColonIs400AndClose() throws {
        let s = try server()
        defer { s.stop() }
        try assertOneAnswerAndClose(s.port, "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\nContent-Length: 5\r\n\r\n" + Self.smuggled,
                                    400, "Transfer-Encoding SP :")
        try assertOneAnswerAndClose(s.port, "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding\t: chunked\r\nContent-Length: 5\r\n\r\n" + Self.smuggled,
                                    400, "Transfer-Encoding HTAB :")
        try assertOneAnswerAndClose(s.port, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length : 5\r\n\r\n" + Self.smuggled,
                                    400, "Content-Length SP :")
    }

    func testObsoleteLineFoldingIs400AndClose() throws {
        let s = try server()
        defer { s.stop() }
        try assertOneAnswerAndClose(s.port, "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:\r\n chunked\r\nContent-Length: 5\r\n\r\n" + Self.smuggled,
                                    400, "folded Transfer-Encoding")
        try assertOneAnswerAndClose(s.port, "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip,\r\n\tchunked\r\nContent-Length: 5\r\n\r\n" + Self.smuggled,
                                    400, "folded Transfer-Encoding list")
        try assertOneAnswerAndClose(s.port, "POST /echo HTTP/1.1\r\nHost: x\r\nX-Note: a\r\n b\r\nContent-Length: 5\r\n\r\n" + Self.smuggled,
                                    400, "any folded field")
    }

    /// RFC 9112 §6.3: chunked must be the last coding, else the length is unknown; §6.1: an
    /// HTTP/1.0 message with Transfer-Encoding is faulty framing.
    func testTransferEncodingWithoutAKnownEndIs501AndClose() throws {
        let s = try server()
        defer { s.stop() }
        for value in ["gzip", "chunked, gzip", "identity"] {
            try assertOneAnswerAndClose(s.port, "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: \(value)\r\n\r\n3\r\nabc\r\n0\r\n\r\n" + Self.smuggled,
                                        501, "Transfer-Encoding: \(value)")
        }
        try assertOneAnswerAndClose(s.port, "POST /echo HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n" + Self.smuggled,
                                    400, "HTTP/1.0 with Transfer-Encoding")
    }

    /// RFC 9110 §5.5, RFC 9112 §2.2: a CR alone in a field value is refused (a proxy may have
    /// ended the line there).
    func testBareCRInAFieldValueIs400AndClose() throws {
        let s = try server()
        defer { s.stop() }
        try assertOneAnswerAndClose(s.port, "POST /echo HTTP/1.1\r\nHost: x\r\nX-Note: a\rTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n" + Self.smuggled,
                                    400, "CR in a value")
        try assertOneAnswerAndClose(s.port, "POST /echo HTTP/1.1\r\nHost: x\r\nX-Note: a\r\rb\r\nContent-Length: 5\r\n\r\n" + Self.smuggled,
                                    400, "CR CR in a value")
    }

    /// A client that waits for `100 Continue` gets the refusal instead, and the close.
    func testAmbiguousLengthWaitingForContinueIs400AndClose() throws {
        let s = try server()
        defer { s.stop() }
        try assertOneAnswerAndClose(s.port, "POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
                                    400, "two lengths, Expect")
    }

    /// The refusals above leave well-formed requests alone: several in a row on one connection
    /// each get their answer, and the connection stays open between them.
    func testWellFramedRequestsKeepTheConnection() throws {
        let s = try server()
        defer { s.stop() }
        let requests = "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
            + "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
            + "POST /echo HTTP/1.1\r\nHost: x\r\ncontent-length:  2\r\n\r\nok"
            + "GET /hidden HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        let data = try XCTUnwrap(try wire(s.port, requests), "closed after the last request")
        let (found, rest) = answers(in: data)
        XCTAssertEqual(found.map(\.status), [200, 200, 200, 200])
        XCTAssertEqual(found.map(\.text), ["hello", "abc", "ok", "hidden"])
        XCTAssertEqual(rest, [])
    }

    // MARK: Item 2: a length no limit allows: 413 at once

    func testLargestContentLengthIs413AtOnce() throws {
        let s = try server()
        defer { s.stop() }
        let started = MonotonicClock.now()
        try assertOneAnswerAndClose(s.port, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 18446744073709551615\r\n\r\nhello", 413, "2^64-1")
        XCTAssertLessThan(MonotonicClock.now() - started, 4, "answered at once, not at a timeout")
        try assertOneAnswerAndClose(s.port, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 9223372036854775808\r\n\r\nhello", 413, "2^63")
    }

    // MARK: Item 3: lengths libmicrohttpd refuses itself: one answer, one status line

    func testContentLengthLibmicrohttpdRefusesGetsOneAnswer() throws {
        let recorder = Recorder()
        let s = try server(recorder: recorder)
        defer { s.stop() }
        let cases: [(String, Int)] = [("18446744073709551616", 413), ("99999999999999999999999999", 413), ("-5", 400),
                                      ("5, 5", 400), ("+5", 400), ("5 5", 400), ("0x5", 400)]
        for (value, status) in cases {
            try assertOneAnswerAndClose(s.port, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: \(value)\r\n\r\nhello", status, "Content-Length: \(value)")
        }
        XCTAssertTrue(eventually { recorder.all.count == cases.count }, "each refusal is reported once: \(recorder.all.map(\.status))")
        XCTAssertEqual(recorder.all.map(\.status), cases.map(\.1))
        XCTAssertTrue(recorder.all.allSatisfy { $0.path == "/echo" })
    }

    /// The request libmicrohttpd refuses is found among others whose heads are still coming on
    /// the same I/O thread, and they are left alone.
    func testContentLengthLibmicrohttpdRefusesAmongSlowHeads() throws {
        let s = try makeServer({ $0.threads = 1 }) { router in
            router.add(.post, "/echo") { request in Response(status: 200, contentType: "text/plain", body: request.body) }
        }
        defer { s.stop() }
        let slow = [try RawConnection(port: s.port), try RawConnection(port: s.port)]
        slow[0].send("POST /echo HTTP/1.1\r\nHost: x\r\n")
        slow[1].send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Len")
        XCTAssertTrue(eventually { s.requestsInFlight == 2 }, "both request lines are in")
        try assertOneAnswerAndClose(s.port, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\nhello", 400, "-5 among slow heads")
        slow[0].send("Content-Length: 2\r\n\r\nok")
        slow[1].send("gth: 3\r\n\r\nabc")
        XCTAssertEqual(try slow[0].readResponse().text, "ok")
        XCTAssertEqual(try slow[1].readResponse().text, "abc")
    }

    // MARK: Item 5: absolute form

    func testAbsoluteFormIsRoutedByItsPath() throws {
        let s = try server()
        defer { s.stop() }
        let cases: [(String, String)] = [
            ("http://x/playground", "playground /playground ?"),
            ("http://x/playground?a=1&b", "playground /playground ?a=1&b"),
            ("HTTP://x:8080/playground", "playground /playground ?"),
            ("https://x/playground?q", "playground /playground ?q"),
            ("http://x", "root ?"),
            ("http://x?k=v", "root ?k=v"),
        ]
        for (target, body) in cases {
            let r = try HTTPClient.exchange(port: s.port, Array("GET \(target) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8), timeoutSeconds: 10)
            XCTAssertEqual(r.status, 200, target)
            XCTAssertEqual(r.text, body, target)
        }
        // The authority is not a path: what follows it is.
        let wrong = try HTTPClient.exchange(port: s.port, Array("GET http://playground HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8), timeoutSeconds: 10)
        XCTAssertEqual(wrong.text, "root ?")
        let userinfo = try HTTPClient.exchange(port: s.port, Array("GET http://u@x/playground HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8), timeoutSeconds: 10)
        XCTAssertEqual(userinfo.status, 400, "userinfo in an http URI is an error (RFC 9110 §4.2.4)")
    }
}
