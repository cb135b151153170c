import Pooling
import TestSupport
import XCTest

/// Fractional max pooling in the core: PyTorch's cases (windows from samples, in the compute
/// dtype's arithmetic) and TensorFlow's (windows from boundaries), forward, indices, mask and
/// both backwards, exactly; and the window starts PyTorch's formula gives.
final class FractionalCoreTests: XCTestCase {
    private func doubles<T: PoolScalar>(_ a: [T]) -> [Double] { a.map(\.double) }

    func testEveryFractionalGoldenCase() throws {
        let cases = Golden.extendedCases.filter { $0.params.fractional != nil }
        XCTAssertEqual(cases.filter { $0.params.fractional?.boundaries == nil }.count, 45, "PyTorch's")
        XCTAssertEqual(cases.filter { $0.params.fractional?.boundaries != nil }.count, 17, "TensorFlow's")
        for c in cases {
            if c.dtype == "float32" { try check(c, Float.self) } else { try check(c, Double.self) }
        }
    }

    private func check<T: PoolScalar>(_ c: GoldenCase, _: T.Type) throws {
        let g = try PoolGeometry(inputShape: c.input.shape, layout: c.layout, window: c.window)
        XCTAssertEqual(g.outputShape, c.output.shape, c.name)
        let x = c.input.data.map { T(double: $0) }, gy = c.gradOutput.data.map { T(double: $0) }
        let r = Pool.maxForward(x, geometry: g, options: c.maxOptions)
        XCTAssertNil(Compare.exact(doubles(r.output), c.output.data), "\(c.name) output")
        XCTAssertEqual(r.indices?.map(Double.init), c.indices?.data, "\(c.name) indices")
        let fromInput = Pool.maxBackward(gradOutput: gy, input: x, geometry: g, options: c.maxOptions)
        XCTAssertNil(Compare.exact(doubles(fromInput), c.gradInput.data), "\(c.name) gradInput from input")
        let fromIndices = try Pool.maxBackward(gradOutput: gy, indices: r.indices!, geometry: g, indexSpace: c.maxOptions.indexSpace)
        XCTAssertNil(Compare.exact(doubles(fromIndices), c.gradInput.data), "\(c.name) gradInput from indices")
        // The mask counts selections: a unit gradient through the indices.
        let ones = [T](repeating: 1, count: g.outputCount)
        XCTAssertEqual(r.mask, try Pool.maxBackward(gradOutput: ones, indices: r.indices!, geometry: g, indexSpace: c.maxOptions.indexSpace), c.name)
    }

    /// α = (n − k)/(m − 1); window i < m − 1 starts at ⌊(i + u)α⌋ − ⌊uα⌋, the last at n − k.
    func testWindowStartsFollowPyTorchsFormula() {
        // n 10, k 2, m 5: α = 2; u = 0.5 → ⌊1⌋−⌊1⌋=0, ⌊3⌋−1=2, ⌊5⌋−1=4, ⌊7⌋−1=6, last 8.
        XCTAssertEqual(FractionalWindows.starts(sample: 0.5, inputSize: 10, outputSize: 5, kernel: 2, singlePrecision: false), [0, 2, 4, 6, 8])
        XCTAssertEqual(FractionalWindows.starts(sample: 0.9, inputSize: 7, outputSize: 3, kernel: 2, singlePrecision: true), [0, 2, 5])
        XCTAssertEqual(FractionalWindows.starts(sample: 0.3, inputSize: 5, outputSize: 1, kernel: 3, singlePrecision: true), [2])
    }

    /// An index outside its (per-plane) window is refused, as for regular windows.
    func testIndicesOutsideTheirFractionalWindowAreRefused() throws {
        let w = FractionalWindows(.samples(kernel: [2], outputSize: [3], samples: [0.5, 0.1], singlePrecision: true))
        let g = try PoolGeometry(inputShape: [1, 2, 7], layout: .channelsFirst, window: .fractional(w))
        XCTAssertThrowsError(try Pool.maxBackward(gradOutput: [Float](repeating: 1, count: 6), indices: [6, 3, 5, 0, 2, 5], geometry: g, indexSpace: .plane))
    }
}
