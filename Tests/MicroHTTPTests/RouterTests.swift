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
        XCTAssertEqual(r.header("allow"), "GET, POST")
        XCTAssertEqual(router.respond(to: Request(method: HTTPMethod(rawValue: "get"), path: "/a")).status, 405, "methods are case-sensitive")
    }

    func testMediaTypeIgnoresParametersAndCase() {
        XCTAssertEqual(Request(method: .post, path: "/", headers: ["content-type": "Application/JSON ; charset=utf-8"]).mediaType, "application/json")
        XCTAssertNil(Request(method: .post, path: "/").mediaType)
    }

    func testProblemBodiesAreValidJSON() throws {
        let r = Response.problem(status: 404, type: "t", title: "x\"y", detail: "a\nb\u{1}")
        let object = try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any]
        XCTAssertEqual(object?["title"] as? String, "x\"y")
        XCTAssertEqual(object?["detail"] as? String, "a\nb\u{1}")
    }
}

import Foundation
