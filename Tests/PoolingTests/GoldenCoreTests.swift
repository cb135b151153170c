import Pooling
import TestSupport
import XCTest

/// Every golden case of PyTorch and TensorFlow through the core, in the case's own dtype.
final class GoldenCoreTests: XCTestCase {
    func testEveryGoldenCaseForwardAndBackward() throws {
        // The regular cases of every file (fractional, column-major, PyTorch-lp and 16-bit cases
        // have tests of their own).
        let counts = Dictionary(uniqueKeysWithValues: Golden.files.map { ($0.name, $0.cases.filter { !$0.isExtended }.count) }.filter { $0.1 > 0 })
        XCTAssertEqual(counts, ["pytorch-pooling.json": 81, "pytorch-nan-windows.json": 14, "pytorch-ceil-overhang.json": 26,
                                "tensorflow-pooling.json": 16, "pytorch-nan.json": 30, "onnx-pooling.json": 13, "onnx-maxpool.json": 13])
        for c in Golden.cases {
            if c.dtype == "float32" { try check(c, Float.self) } else { try check(c, Double.self) }
        }
    }

    private func doubles<T: PoolScalar>(_ a: [T]) -> [Double] { a.map(\.double) }

    private func check<T: PoolScalar>(_ c: GoldenCase, _: T.Type) throws {
        let g = try PoolGeometry(inputShape: c.input.shape, layout: c.layout, window: c.window)
        XCTAssertEqual(g.outputShape, c.output.shape, c.name)
        let x = c.input.data.map { T(double: $0) }
        let gy = c.gradOutput.data.map { T(double: $0) }
        switch c.params.mode {
        case "max":
            let r = Pool.maxForward(x, geometry: g, options: c.maxOptions)
            XCTAssertNil(Compare.exact(doubles(r.output), c.output.data), "\(c.name) output")
            XCTAssertEqual(r.indices?.map(Double.init), c.indices?.data, "\(c.name) indices")
            // Without the mask (channels_last takes its all-channels kernel) and without indices.
            let noMask = Pool.maxForward(x, geometry: g, options: c.maxOptions, indices: true, mask: false)
            XCTAssertNil(Compare.exact(doubles(noMask.output), c.output.data), "\(c.name) output without mask")
            XCTAssertEqual(noMask.indices?.map(Double.init), c.indices?.data, "\(c.name) indices without mask")
            let valuesOnly = Pool.maxForward(x, geometry: g, options: c.maxOptions, indices: false, mask: false)
            XCTAssertNil(Compare.exact(doubles(valuesOnly.output), c.output.data), "\(c.name) output alone")
            if let golden = c.indices?.data.map({ Int64($0) }) {
                // The mask counts the selections: a unit gradient scattered at PyTorch's indices.
                let ones = [T](repeating: 1, count: g.outputCount)
                let counts = try Pool.maxBackward(gradOutput: ones, indices: golden, geometry: g, indexSpace: c.maxOptions.indexSpace)
                XCTAssertEqual(r.mask, counts, "\(c.name) mask")
            }
            let fromInput = Pool.maxBackward(gradOutput: gy, input: x, geometry: g, options: c.maxOptions)
            XCTAssertNil(Compare.exact(doubles(fromInput), c.gradInput.data), "\(c.name) gradInput from input")
            let fromIndices = try Pool.maxBackward(gradOutput: gy, indices: r.indices!, geometry: g, indexSpace: c.maxOptions.indexSpace)
            XCTAssertNil(Compare.exact(doubles(fromIndices), c.gradInput.data), "\(c.name) gradInput from indices")
        case "avg":
            XCTAssertNil(Compare.close(doubles(Pool.avgForward(x, geometry: g, options: c.avgOptions)), c.output.data, tolerance: c.tolerance), "\(c.name) output")
            XCTAssertNil(Compare.close(doubles(Pool.avgBackward(gradOutput: gy, geometry: g, options: c.avgOptions)), c.gradInput.data, tolerance: c.tolerance), "\(c.name) gradInput")
        case "lp":
            let p = c.params.p ?? 2
            XCTAssertNil(Compare.close(doubles(Pool.lpForward(x, geometry: g, p: p)), c.output.data, tolerance: c.tolerance), "\(c.name) output")
            XCTAssertNil(Compare.close(doubles(Pool.lpBackward(gradOutput: gy, input: x, geometry: g, p: p)), c.gradInput.data, tolerance: c.tolerance), "\(c.name) gradInput")
        default:
            XCTFail("unknown mode \(c.params.mode)")
        }
    }
}
