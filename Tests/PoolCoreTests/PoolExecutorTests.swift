import Pooling
import PoolCore
import RequestDecoding
import XCTest

/// The executor alone, with no wire: validation before anything is read, the reservation of
/// the validated call, the kernel switch, index order, drawn samples, stages and cancellation.
final class PoolExecutorTests: XCTestCase {
    let executor = PoolExecutor()

    /// A 1×1×4×4 max pooling with kernel 2, stride 2.
    private func request(_ values: [Double] = (0..<16).map(Double.init), configure: (inout PoolParameters) -> Void = { _ in }) -> PoolRequest {
        var p = PoolParameters()
        p.kernelSize = .int(2)
        p.stride = .int(2)
        configure(&p)
        return PoolRequest(kind: .forward, parameters: p, input: TensorValues(shape: [1, 1, 4, 4], values: values, at: .root / "input"))
    }

    private func result(_ r: Result<PoolExecutor.Computed, PoolFailure>) -> PoolResult<Float>? {
        guard case .success(let c) = r, case .float(let f) = c.outcome else { return nil }
        return f
    }

    func testForwardComputesTheAskedPartsAndRecordsTheStages() {
        var clock = StageClock()
        let r = result(executor.run(request(), clock: &clock))
        XCTAssertEqual(r?.output, [5, 7, 13, 15])
        XCTAssertEqual(r?.indices, [5, 7, 13, 15])
        XCTAssertEqual(r?.mask?.reduce(0, +), 4)
        XCTAssertEqual(clock.stages.map(\.name), ["validate", "parse", "pool"])
    }

    func testColumnMajorIndicesCountDownTheColumns() {
        var clock = StageClock()
        let r = result(executor.run(request { $0.indexOrder = .columnMajor }, clock: &clock))
        // Row-major 5 = (h 1, w 1) → 1·4 + 1 = 5; 7 = (1, 3) → 3·4 + 1 = 13; 13 = (3, 1) → 7; 15 → 15.
        XCTAssertEqual(r?.indices, [5, 13, 7, 15])
    }

    func testProblemsComeBeforeAnyReservationOrComputation() {
        var clock = StageClock()
        var reserved = false
        let r = executor.run(request { $0.kernelSize = .int(9) }, clock: &clock) { _, _ in reserved = true; return true }
        guard case .failure(.problems(let list)) = r else { return XCTFail("\(r)") }
        XCTAssertEqual(list.problems.first?.pointer, "/kernelSize")
        XCTAssertFalse(reserved, "nothing is reserved for a call that does not validate")
    }

    func testAFullBudgetRefusesBeforeReading() {
        var clock = StageClock()
        var asked = 0
        let r = executor.run(request(), clock: &clock) { _, estimate in
            asked = estimate.bytes(valueBytes: 16, indexBytes: 21)
            return false
        }
        guard case .failure(.overBudget) = r else { return XCTFail("\(r)") }
        XCTAssertGreaterThan(asked, 16 * 4 + 4 * 4, "the input, the output and the answer are counted")
        XCTAssertFalse(clock.stages.contains { $0.name == "pool" }, "nothing computed")
    }

    /// A cancelled call's result is discarded: the executor says so instead of answering.
    func testACancelledCallIsDiscarded() {
        var clock = StageClock()
        let cancellation = Cancellation()
        cancellation.cancel()
        let r = executor.run(request(), clock: &clock, cancellation: cancellation)
        guard case .failure(.cancelled) = r else { return XCTFail("a cancelled call must not answer: \(r)") }
    }

    func testFractionalFromASeedReturnsTheSamplesItDrew() {
        var clock = StageClock()
        let r = result(executor.run(request { p in
            p.stride = nil
            p.fractional = FractionalParameters(outputSize: .int(2), seed: 42)
        }, clock: &clock))
        XCTAssertEqual(r?.samples, FractionalSampler.draw(count: 2, seed: 42).map { Float($0) })
    }

    func testBackwardFromIndicesNamesABadIndex() {
        var clock = StageClock()
        var p = PoolParameters()
        p.kernelSize = .int(2)
        p.stride = .int(2)
        let r = executor.run(PoolRequest(kind: .backward, parameters: p,
                                         gradOutput: TensorValues(shape: [1, 1, 2, 2], values: [1, 1, 1, 1], at: .root / "gradOutput"),
                                         indices: TensorValues(shape: [1, 1, 2, 2], values: [5, 7, 13, 99], at: .root / "indices"),
                                         inputShape: [1, 1, 4, 4]), clock: &clock)
        guard case .failure(.problems(let list)) = r else { return XCTFail("\(r)") }
        XCTAssertEqual(list.problems.first?.pointer, "/indices/3")
    }
}
