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
        }
    }

    /// The stages are measured, one after the other: on a call big enough that each takes time,
    /// the parse, pool and encode stages are each above zero, and together they fit in the time
    /// the call took from outside.
    func testTheStagesAreMeasuredAndFitInTheCallsTime() {
        let row = "[" + (0..<512).map { String($0 % 97) }.joined(separator: ",") + "]"
        let body = #"{"input":[[["# + Array(repeating: row, count: 512).joined(separator: ",") + #"]]],"kernelSize":3,"stride":1}"#
        let clock = ContinuousClock()
        var r = Response(status: 0)
        let elapsed = clock.measure { r = post("/pool/forward", body) }
        XCTAssertEqual(r.status, 200)
        let seconds = Dictionary(uniqueKeysWithValues: r.timings.map { ($0.name, $0.seconds) })
        for stage in ["parse", "pool", "encode"] { XCTAssertGreaterThan(seconds[stage] ?? 0, 0, stage) }
        let total = r.timings.reduce(0) { $0 + $1.seconds }
        let outside = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        XCTAssertLessThanOrEqual(total, outside, "the stages (\(total) s) cannot take longer than the call (\(outside) s)")
        XCTAssertGreaterThan(total, outside / 10, "the stages cover the call's work")
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
