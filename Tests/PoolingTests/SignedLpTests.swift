import Pooling
import TestSupport
import XCTest

/// PyTorch's own lp (`absolute: false`): its golden cases through the core, and the NaN rule of
/// the default lp's gradient.
final class SignedLpTests: XCTestCase {
    private func doubles<T: PoolScalar>(_ a: [T]) -> [Double] { a.map(\.double) }

    func testPyTorchLpCases() throws {
        let cases = Golden.extendedCases.filter { $0.params.lpAbs == false }
        XCTAssertEqual(cases.count, 69)
        for c in cases {
            if c.dtype == "float32" { try check(c, Float.self) } else { try check(c, Double.self) }
        }
    }

    private func check<T: PoolScalar>(_ c: GoldenCase, _: T.Type) throws {
        let g = try PoolGeometry(inputShape: c.input.shape, layout: c.layout, window: c.window)
        let x = c.input.data.map { T(double: $0) }, gy = c.gradOutput.data.map { T(double: $0) }
        let p = c.params.p ?? 2
        XCTAssertNil(Compare.close(doubles(Pool.lpForward(x, geometry: g, p: p, absolute: false)), c.output.data, tolerance: c.tolerance), "\(c.name) output")
        XCTAssertNil(Compare.close(doubles(Pool.lpBackward(gradOutput: gy, input: x, geometry: g, p: p, absolute: false)), c.gradInput.data,
                                   tolerance: c.tolerance), "\(c.name) gradInput")
    }

    /// p = 1 without the absolute value is the window sum, negative sums included; with it, the
    /// sum of |x|.
    func testPOneIsThePlainSum() throws {
        let g = try PoolGeometry(inputShape: [1, 1, 4], layout: .channelsFirst,
                                 window: .fixed(kernel: [2], stride: [2], padding: .symmetric([0]), dilation: [1], ceilMode: false))
        XCTAssertEqual(Pool.lpForward([Float](arrayLiteral: -3, 1, 2, 5), geometry: g, p: 1, absolute: false), [-2, 7])
        XCTAssertEqual(Pool.lpForward([Float](arrayLiteral: -3, 1, 2, 5), geometry: g, p: 1), [4, 7])
        // An odd p over a negative sum: NaN, in both directions.
        XCTAssertTrue(Pool.lpForward([Float](arrayLiteral: -3, 1, 2, 5), geometry: g, p: 3, absolute: false)[0].isNaN)
        XCTAssertTrue(Pool.lpBackward(gradOutput: [Float](arrayLiteral: 1, 1), input: [-3, 1, 2, 5], geometry: g, p: 3, absolute: false)[0].isNaN)
    }

    /// In the default lp a NaN cell has no sign: its gradient is NaN for every p, p = 1 too
    /// (it used to get +gradOutput, as if sign(NaN) were +1), on both kernel paths.
    func testANaNCellGetsANaNGradient() throws {
        for layout in [Layout.channelsFirst, .channelsLast] {
            let shape = layout == .channelsFirst ? [1, 1, 4] : [1, 4, 1]
            let g = try PoolGeometry(inputShape: shape, layout: layout,
                                     window: .fixed(kernel: [2], stride: [2], padding: .symmetric([0]), dilation: [1], ceilMode: false))
            for p in [1.0, 2, 3.5] {
                let grad = Pool.lpBackward(gradOutput: [Float](arrayLiteral: 1, 1), input: [.nan, 2, 3, 4], geometry: g, p: p)
                XCTAssertTrue(grad[0].isNaN, "\(layout) p \(p)")
                XCTAssertFalse(grad[2].isNaN, "\(layout) p \(p): the other window is untouched")
            }
        }
    }
}
