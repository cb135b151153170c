import Foundation
import MicroHTTP
import XCTest

final class RouterTests: XCTestCase {
    func testDispatchAndErrors() {
        var router = Router()
        router.add(.get, "/a") { _ in Response(status: 200) }
        router.add(.post, "/a") { _ in Response(status: 201) }
        XCTAssertEqual(router.respond(to: Request(method: .get, path: "/a")).status, 200)
        XCTAssertEqual(router.respond(to: Request(method: .post, path: "/a")).status, 201)
        XCTAssertEqual(router.respond(to: Request(method: .post, path: "/b")).status, 404)
        let r = router.respond(to: Request(method: .delete, path: "/a"))
        XCTAssertEqual(r.status, 405)
        XCTAssertEqual(r.header("allow"), "GET, HEAD, POST", "HEAD is answered wherever GET is")
        XCTAssertEqual(router.respond(to: Request(method: .head, path: "/a")).status, 200)
        XCTAssertEqual(router.respond(to: Request(method: HTTPMethod(rawValue: "get"), path: "/a")).status, 405, "methods are case-sensitive")
    }

    func testPrefixRoutesTakeWhatExactRoutesLeave() {
        var router = Router()
        router.add(.get, "/v2/exact") { _ in Response(status: 200) }
        router.addPrefix("/v2") { _ in Response(status: 201) }
        router.addPrefix("/v2/models") { _ in Response(status: 202) }
        XCTAssertEqual(router.respond(to: Request(method: .get, path: "/v2/exact")).status, 200)
        XCTAssertEqual(router.respond(to: Request(method: .post, path: "/v2/exact")).status, 405, "an exact route keeps its own methods")
        XCTAssertEqual(router.respond(to: Request(method: .delete, path: "/v2/other")).status, 201)
        XCTAssertEqual(router.respond(to: Request(method: .get, path: "/v2/models/x")).status, 202, "the longest prefix wins")
        XCTAssertEqual(router.respond(to: Request(method: .get, path: "/v3")).status, 404)
    }

    func testErrorWriterOwnsTheErrorsUnderItsPrefix() {
        var router = Router()
        router.add(.get, "/v2/a") { _ in Response(status: 200) }
        router.add(.get, "/b") { _ in Response(status: 200) }
        router.setErrorWriter(forPrefix: "/v2") { status, detail, headers in
            Response(status: status, headers: headers, body: Array("custom \(detail)".utf8))
        }
        let r = router.respond(to: Request(method: .post, path: "/v2/a"))
        XCTAssertEqual(r.status, 405)
        XCTAssertEqual(r.header("allow"), "GET, HEAD")
        XCTAssertTrue(String(decoding: r.body, as: UTF8.self).hasPrefix("custom POST is not allowed"))
        XCTAssertEqual(router.respond(to: Request(method: .get, path: "/v2/missing")).body, Array("custom no resource at /v2/missing".utf8))
        XCTAssertEqual(router.respond(to: Request(method: .post, path: "/b")).header("content-type"), "application/problem+json",
                       "other paths keep problem+json")
        XCTAssertEqual(router.errorResponse(ProblemDetails(status: 413, type: "t", title: "x", detail: "big"), path: "/v2/a").body, Array("custom big".utf8))
    }

    func testMediaTypeIgnoresParametersAndCase() {
        XCTAssertEqual(Request(method: .post, path: "/", headers: ["content-type": "Application/JSON ; charset=utf-8"]).mediaType, "application/json")
        XCTAssertNil(Request(method: .post, path: "/").mediaType)
    }

    func testProblemDetailsWithErrorsAndMembers() throws {
        let problem = ProblemDetails(status: 422, type: "t", title: "Invalid", detail: String(repeating: "d", count: 5000),
                                     errors: [.init(pointer: "/a/0", detail: "bad\u{0}")], members: [("offset", .integer(7)), ("note", .string("n"))],
                                     headers: [("Retry-After", "1")])
        let r = problem.response
        XCTAssertEqual(r.header("content-type"), "application/problem+json")
        XCTAssertEqual(r.header("retry-after"), "1")
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any])
        XCTAssertEqual(object["status"] as? Int, 422)
        XCTAssertEqual(object["offset"] as? Int, 7)
        XCTAssertEqual((object["errors"] as? [[String: String]])?.first?["pointer"], "/a/0")
        XCTAssertLessThanOrEqual((object["detail"] as? String)?.count ?? .max, ProblemDetails.detailLimit + 1, "detail is cut")
        XCTAssertEqual(ProblemDetails.echo(String(repeating: "x", count: 100)), String(repeating: "x", count: 64) + "…")
        let text = String(decoding: r.body, as: UTF8.self)
        XCTAssertTrue(text.hasPrefix(#"{"type":"t","title":"Invalid","status":422,"detail":"#), text)
    }

    func testCancellationSignalRunsActionsOnce() {
        let signal = CancellationSignal()
        let count = Counter()
        signal.onCancel { count.add() }
        XCTAssertFalse(signal.isCancelled)
        signal.cancel()
        signal.cancel()
        XCTAssertTrue(signal.isCancelled)
        signal.onCancel { count.add() } // runs at once
        XCTAssertEqual(count.value, 2)
    }

    func testProblemBodiesAreValidJSON() throws {
        let r = Response.problem(status: 404, type: "t", title: "x\"y", detail: "a\nb\u{1}")
        let object = try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any]
        XCTAssertEqual(object?["title"] as? String, "x\"y")
        XCTAssertEqual(object?["detail"] as? String, "a\nb\u{1}")
    }
}

import Foundation

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func add() { lock.lock(); n += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return n }
}
