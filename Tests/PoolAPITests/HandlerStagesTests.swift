import MicroHTTP
import PoolAPI
import PoolCore
import XCTest

/// What the handlers add around the kernels: the stages of `Server-Timing` and the bridge from
/// the request's cancellation signal (raised at the drain deadline) to the kernels.
final class HandlerStagesTests: XCTestCase {
    let router = PoolService().router()

    private func post(_ path: String, _ body: String, cancelled: Bool = false) -> Response {
        let request = Request(method: .post, path: path, headers: ["content-type": "application/json"], body: Array(body.utf8))
        if cancelled { request.cancellation.cancel() }
        return router.respond(to: request)
    }

    private static let forward = #"{"input":[[[1,5,2,4]]],"kernelSize":2,"stride":2}"#
    private static let backward = #"{"mode":"lp","p":3,"kernelSize":2,"stride":2,"input":[[[1,5,2,4]]],"gradOutput":[[[1,1]]]}"#

    func testBothRoutesReportParseValidatePoolAndEncodeInOrder() {
        for (path, body) in [("/pool/forward", Self.forward), ("/pool/backward", Self.backward)] {
            let r = post(path, body)
            XCTAssertEqual(r.status, 200, path)
            XCTAssertEqual(r.timings.map(\.name), ["parse", "validate", "pool", "encode"], path)
            XCTAssertTrue(r.timings.allSatisfy { $0.seconds >= 0 }, path)
        }
    }

    func testARefusedRequestReportsOnlyTheStagesItReached() {
        let r = post("/pool/forward", #"{"input":[[[1,5,2,4]]],"kernelSize":9}"#)
        XCTAssertEqual(r.status, 422)
        XCTAssertEqual(r.timings.map(\.name), ["parse", "validate"])
    }

    /// A request cancelled before it computes (as at the drain deadline) stops in the kernels
    /// and is answered 503 instead of being computed and encoded.
    func testACancelledRequestStopsInTheKernels() {
        for (path, body) in [("/pool/forward", Self.forward), ("/pool/backward", Self.backward)] {
            XCTAssertEqual(post(path, body, cancelled: true).status, 503, path)
            XCTAssertEqual(post(path, body).status, 200, path)
        }
    }
}
