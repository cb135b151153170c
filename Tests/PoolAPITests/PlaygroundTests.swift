import APITestSupport
import Foundation
import MicroHTTP
import PoolAPI
import PoolCore
import XCTest

/// The playground's files as the router serves them: media types, the security and cache
/// headers, 304 for a matching `If-None-Match`, the size budget, and that everything the page
/// loads is served from this origin.
final class PlaygroundTests: XCTestCase {
    let router = PoolService().router()

    private func get(_ path: String, _ headers: [String: String] = [:]) -> Response {
        router.respond(to: Request(method: .get, path: path, headers: headers))
    }

    private func text(_ r: Response) -> String { String(decoding: r.body, as: UTF8.self) }

    func testThePageIsServedAtRootAndPlaygroundWithItsHeaders() throws {
        for path in ["/", "/playground"] {
            let r = get(path)
            XCTAssertEqual(r.status, 200, path)
            XCTAssertEqual(r.header("Content-Type"), "text/html; charset=utf-8", path)
            XCTAssertEqual(r.header("X-Content-Type-Options"), "nosniff", path)
            XCTAssertEqual(r.header("Cache-Control"), "no-cache", path)
            let csp = try XCTUnwrap(r.header("Content-Security-Policy"), path)
            for directive in ["default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"] {
                XCTAssertTrue(csp.contains(directive), "\(path): \(directive) missing from \(csp)")
            }
            XCTAssertFalse(csp.contains("unsafe-inline") || csp.contains("unsafe-eval"), csp)
            XCTAssertTrue(text(r).contains("data-testid=\"grad-input\""), path)
            // The compare view and a control for every field the page sends.
            for hook in ["data-testid=\"compare-cards\"", "data-testid=\"compare-agreement\"", "id=\"compare-on\"", "data-testid=\"rules\""]
                + ["convention", "opset", "fractional", "indexOrder", "lpAbs", "inputDtype"].map({ "name=\"\($0)\"" }) {
                XCTAssertTrue(text(r).contains(hook), "\(path): \(hook) missing")
            }
        }
        XCTAssertEqual(get("/").body, get("/playground").body)
        XCTAssertEqual(get("/").header("ETag"), get("/playground").header("ETag"))
    }

    func testTheStyleSheetAndScriptHaveTheirMediaTypes() {
        XCTAssertEqual(get("/playground.css").header("Content-Type"), "text/css; charset=utf-8")
        XCTAssertEqual(get("/playground.js").header("Content-Type"), "text/javascript; charset=utf-8")
        XCTAssertNotEqual(get("/playground.css").header("ETag"), get("/playground.js").header("ETag"))
    }

    func testAMatchingIfNoneMatchGets304WithoutABody() throws {
        for path in ["/", "/playground.css", "/playground.js"] {
            let tag = try XCTUnwrap(get(path).header("ETag"))
            XCTAssertTrue(tag.hasPrefix("\"") && tag.hasSuffix("\"") && tag.count == 18, tag)
            for value in [tag, "W/" + tag, "\"other\", " + tag, "*"] {
                let r = get(path, ["if-none-match": value])
                XCTAssertEqual(r.status, 304, "\(path) If-None-Match: \(value)")
                XCTAssertTrue(r.body.isEmpty)
                XCTAssertEqual(r.header("ETag"), tag)
            }
            for value in ["\"other\"", "", tag.dropLast() + "x\""] {
                XCTAssertEqual(get(path, ["if-none-match": String(value)]).status, 200, "\(path) If-None-Match: \(value)")
            }
        }
    }

    func testThePageStaysUnder100KBAndLoadsOnlyWhatIsServedHere() {
        let page = text(get("/"))
        let total = get("/").body.count + get("/playground.css").body.count + get("/playground.js").body.count
        XCTAssertLessThan(total, 100_000)
        // Every src= and href= is same-origin and served (or a data: URL, or the contract).
        let pattern = try! NSRegularExpression(pattern: "(?:src|href)=\"([^\"]*)\"")
        let refs = pattern.matches(in: page, range: NSRange(page.startIndex..., in: page)).map {
            String(page[Range($0.range(at: 1), in: page)!])
        }
        XCTAssertGreaterThanOrEqual(refs.count, 3)
        for ref in refs where !ref.hasPrefix("data:") {
            XCTAssertTrue(ref.hasPrefix("/"), "not same-origin: \(ref)")
            XCTAssertEqual(get(ref).status, 200, ref)
        }
        XCTAssertFalse(page.contains("<script>") || page.contains(" style="), "inline script or style would break the CSP")
    }

    func testOtherMethodsAre405() {
        let r = router.respond(to: Request(method: .post, path: "/", headers: ["content-type": "application/json"], body: Array("{}".utf8)))
        XCTAssertEqual(r.status, 405)
        XCTAssertTrue(r.header("Allow")?.contains("GET") ?? false, r.header("Allow") ?? "no Allow")
    }
}
