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

    /// issue 18 item 0: ceil-mode windows longer than the padded input, as PyTorch 2.15 computes
    /// them; the divisor counts real and padded cells up to the padded border, never the overhang.
    func testCeilModeWindowsLongerThanThePaddedInput() throws {
        for layout in Layout.allCases {
            func shape(_ n: Int) -> [Int] { layout == .channelsFirst ? [1, 1, n] : [1, n, 1] }
            let g = try PoolGeometry(inputShape: shape(4), layout: layout,
                                     window: .fixed(kernel: [5], stride: [2], padding: .valid, dilation: [1], ceilMode: true))
            let x: [Float] = [1, 2, 3, 4]
            let r = Pool.maxForward(x, geometry: g, options: MaxOptions())
            XCTAssertEqual(r.output, [4])
            XCTAssertEqual(r.indices, [3])
            XCTAssertEqual(Pool.maxForward(x, geometry: g, options: MaxOptions(), indices: true, mask: false).indices, [3])
            XCTAssertEqual(Pool.maxBackward(gradOutput: [2], input: x, geometry: g, options: MaxOptions()), [0, 0, 0, 2])
            XCTAssertEqual(Pool.avgForward(x, geometry: g, options: AvgOptions()), [2.5])
            XCTAssertEqual(Pool.avgForward(x, geometry: g, options: AvgOptions(countIncludePad: false)), [2.5])
            XCTAssertEqual(Pool.avgBackward(gradOutput: [2], geometry: g, options: AvgOptions()), [0.5, 0.5, 0.5, 0.5])
            XCTAssertEqual(Pool.lpForward(x, geometry: g, p: 1), [10])
            let dilated = try PoolGeometry(inputShape: shape(2), layout: layout,
                                           window: .fixed(kernel: [3], stride: [2], padding: .symmetric([1]), dilation: [2], ceilMode: true))
            let d = Pool.maxForward([Float(1), 2], geometry: dilated, options: MaxOptions())
            XCTAssertEqual(d.output, [2])
            XCTAssertEqual(d.indices, [1])
            // Padding 1 on both sides of 3 cells, kernel 7: the padded border holds 5 cells.
            let padded = try PoolGeometry(inputShape: shape(3), layout: layout,
                                          window: .fixed(kernel: [7], stride: [3], padding: .symmetric([1]), dilation: [1], ceilMode: true))
            XCTAssertEqual(Pool.avgForward([Double(1), 2, 6], geometry: padded, options: AvgOptions()), [9.0 / 5])
        }
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
