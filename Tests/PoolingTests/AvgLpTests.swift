import Pooling
import XCTest

/// Average and Lp pooling: divisors, ceil-mode overhang, adaptive windows, large p.
final class AvgLpTests: XCTestCase {
    func testCountIncludePadStopsAtThePaddedBorder() throws {
        // n=4, k=3, s=2, pad 1, ceil: windows [-1..1], [1..3], [3..5]. Window 2 holds cell 3
        // (real), 4 (padding) and 5, which lies beyond the padded border n + pad = 5 and never counts.
        let g = try PoolGeometry(inputShape: [1, 1, 4], layout: .channelsFirst,
                                 window: .fixed(kernel: [3], stride: [2], padding: .symmetric([1]), dilation: [1], ceilMode: true))
        XCTAssertEqual(g.outputSpatial, [3])
        let x: [Double] = [1, 2, 3, 4]
        XCTAssertEqual(Pool.avgForward(x, geometry: g, options: AvgOptions(countIncludePad: true)), [3.0 / 3, 9.0 / 3, 4.0 / 2])
        XCTAssertEqual(Pool.avgForward(x, geometry: g, options: AvgOptions(countIncludePad: false)), [3.0 / 2, 9.0 / 3, 4.0 / 1])
        XCTAssertEqual(Pool.avgForward(x, geometry: g, options: AvgOptions(divisorOverride: 4)), [3.0 / 4, 9.0 / 4, 4.0 / 4])
        XCTAssertEqual(Pool.avgBackward(gradOutput: [3, 3, 2], geometry: g, options: AvgOptions(countIncludePad: true)), [1, 2, 1, 2])
    }

    func testAdaptiveWindowsFollowPyTorchsBounds() throws {
        // n=5, out=3: [0,2), [1,4), [3,5).
        let g = try PoolGeometry(inputShape: [1, 1, 5], layout: .channelsFirst, window: .adaptive(outputSize: [3]))
        XCTAssertEqual(Pool.avgForward([1.0, 2, 3, 4, 5], geometry: g, options: AvgOptions()), [1.5, 3, 4.5])
        let r = Pool.maxForward([5.0, 1, 2, 9, 3], geometry: g, options: MaxOptions())
        XCTAssertEqual(r.indices, [0, 3, 3])
        XCTAssertEqual(r.mask, [1, 0, 0, 2, 0])
    }

    func testLpIsTheNormOfTheRealCells() throws {
        let g = try PoolGeometry(inputShape: [1, 1, 4], layout: .channelsFirst,
                                 window: .fixed(kernel: [2], stride: [2], padding: .valid, dilation: [1], ceilMode: false))
        let y = Pool.lpForward([3.0, -4, 0, 0], geometry: g, p: 2)
        XCTAssertEqual(y, [5, 0])
        XCTAssertEqual(Pool.lpForward([3.0, -4, 1, -1], geometry: g, p: 1), [7, 2])
        let grad = Pool.lpBackward(gradOutput: [1, 1], input: [3.0, -4, 0, 0], geometry: g, p: 2)
        XCTAssertEqual(grad, [0.6, -0.8, 0, 0], "sign(x)·|x|/y, and 0 where y = 0")
    }

    func testLargePDoesNotOverflow() throws {
        let g = try PoolGeometry(inputShape: [1, 1, 2], layout: .channelsFirst, window: .global)
        let y = Pool.lpForward([Float(1e30), Float(1e30)], geometry: g, p: 50)
        XCTAssertTrue(y[0].isFinite)
        XCTAssertEqual(Double(y[0]), 1e30 * pow(2, 1.0 / 50), accuracy: 1e24)
        let grad = Pool.lpBackward(gradOutput: [1], input: [1e200, 1e200], geometry: g, p: 100)
        XCTAssertEqual(grad[0], pow(0.5, 99.0 / 100), accuracy: 1e-12)
    }
}
