import MicroHTTP
import PoolAPI
import PoolCore
import XCTest

/// The handlers top up a request's share of the memory budget once validation knows the
/// shapes: a small body whose shapes imply large tensors is refused 503 (naming
/// `--max-inflight-bytes`) before anything is allocated, and what is reserved is counted.
final class MemoryTopUpTests: XCTestCase {
    let router = PoolService().router()

    private func post(_ path: String, _ body: String, budget: MemoryBudget) -> (Response, MemoryReservation) {
        let memory = MemoryReservation(budget: budget)
        let request = Request(method: .post, path: path, headers: ["content-type": "application/json"], body: Array(body.utf8),
                              memory: memory)
        return (router.respond(to: request), memory)
    }

    /// 101 bytes of avg backward whose gradInput is 1,000,000 floats (4 MB, 16 MB as text).
    private static let wideBackward = #"{"mode":"avg","kernelSize":1000000,"inputShape":[1,1,1000000],"gradOutput":[[[1]]]}"#

    func testASmallBodyWithLargeImpliedTensorsIsRefusedOverBudget() throws {
        let (r, memory) = post("/pool/backward", Self.wideBackward, budget: MemoryBudget(limit: 1 << 20))
        XCTAssertEqual(r.status, 503)
        XCTAssertNotNil(r.header("Retry-After"))
        XCTAssertTrue(String(decoding: r.body, as: UTF8.self).contains("--max-inflight-bytes"))
        XCTAssertEqual(memory.bytes, 0, "nothing is taken when the budget has no room")
        XCTAssertEqual(r.shed, .memory, "counted as shed for memory")
    }

    func testWithinTheBudgetTheTensorsAndAnswerAreReserved() {
        let budget = MemoryBudget(limit: 64 << 20)
        let (r, memory) = post("/pool/backward", Self.wideBackward, budget: budget)
        XCTAssertEqual(r.status, 200)
        // gradOutput + gradInput in float32, and the answer as text.
        XCTAssertGreaterThanOrEqual(memory.bytes, 4_000_000 + 16_000_000)
        XCTAssertEqual(budget.reserved, memory.bytes)
    }

    func testAForwardReservesItsMaskAndIndicesToo() {
        let body = #"{"input":{"shape":[1,1,1000],"data":[\#((0..<1000).map(String.init).joined(separator: ","))]},"kernelSize":2}"#
        let (plain, _) = post("/pool/forward", #"{"input":{"shape":[1,1,4],"data":[1,2,3,4]},"kernelSize":2}"#, budget: MemoryBudget(limit: 1 << 30))
        XCTAssertEqual(plain.status, 200)
        let (r, memory) = post("/pool/forward", body, budget: MemoryBudget(limit: 1 << 30))
        XCTAssertEqual(r.status, 200, String(decoding: r.body, as: UTF8.self))
        // input, output, mask (float32), indices (int64), and their text.
        XCTAssertGreaterThanOrEqual(memory.bytes, 4 * (1000 + 500 + 1000) + 8 * 500 + 16 * 1500 + 21 * 500)
    }
}
