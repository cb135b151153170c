import Pooling
import TestSupport
import XCTest

/// The rules of max pooling: ties, NaN, overlapping windows, layouts, index spaces.
final class MaxPoolTests: XCTestCase {
    private func geometry1D(_ n: Int, k: Int, s: Int, channels: Int = 1) throws -> PoolGeometry {
        try PoolGeometry(inputShape: [1, channels, n], layout: .channelsFirst,
                         window: .fixed(kernel: [k], stride: [s], padding: .valid, dilation: [1], ceilMode: false))
    }

    func testTheSeedExample() throws {
        let g = try PoolGeometry(inputShape: [1, 1, 4, 4], layout: .channelsFirst,
                                 window: .fixed(kernel: [2, 2], stride: [2, 2], padding: .valid, dilation: [1, 1], ceilMode: false))
        let x: [Float] = (1...16).map(Float.init)
        let r = Pool.maxForward(x, geometry: g, options: MaxOptions())
        XCTAssertEqual(r.output, [6, 8, 14, 16])
        XCTAssertEqual(r.indices, [5, 7, 13, 15])
        XCTAssertEqual(r.mask, [0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1])
        XCTAssertEqual(Pool.maxBackward(gradOutput: [1, 2, 3, 4], input: x, geometry: g, options: MaxOptions()),
                       [0, 0, 0, 0, 0, 1, 0, 2, 0, 0, 0, 0, 0, 3, 0, 4])
    }

    func testTiesFirstLastSplit() throws {
        let g = try geometry1D(4, k: 4, s: 4)
        let x: [Double] = [1, 5, 5, 5]
        let first = Pool.maxForward(x, geometry: g, options: MaxOptions(ties: .first))
        let last = Pool.maxForward(x, geometry: g, options: MaxOptions(ties: .last))
        let split = Pool.maxForward(x, geometry: g, options: MaxOptions(ties: .split))
        XCTAssertEqual(first.indices, [1])
        XCTAssertEqual(last.indices, [3])
        XCTAssertEqual(split.indices, [1], "split selects the first for output and indices")
        XCTAssertEqual(split.mask, [0, 1.0 / 3, 1.0 / 3, 1.0 / 3])
        XCTAssertEqual(Pool.maxBackward(gradOutput: [6], input: x, geometry: g, options: MaxOptions(ties: .first)), [0, 6, 0, 0])
        XCTAssertEqual(Pool.maxBackward(gradOutput: [6], input: x, geometry: g, options: MaxOptions(ties: .last)), [0, 0, 0, 6])
        XCTAssertEqual(Pool.maxBackward(gradOutput: [6], input: x, geometry: g, options: MaxOptions(ties: .split)), [0, 2, 2, 2])
    }

    func testGradientIsNeverCopiedToEveryTiedCell() throws {
        let g = try geometry1D(3, k: 3, s: 3)
        for rule in TieRule.allCases {
            let grad = Pool.maxBackward(gradOutput: [1.0], input: [2.0, 2.0, 2.0], geometry: g, options: MaxOptions(ties: rule))
            XCTAssertEqual(grad.reduce(0, +), 1, "the window's gradient is passed on once in total (\(rule))")
        }
    }

    func testNaNPropagateAndIgnore() throws {
        let g = try geometry1D(4, k: 2, s: 2)
        let x: [Float] = [1, .nan, .nan, .nan]
        let propagate = Pool.maxForward(x, geometry: g, options: MaxOptions(nan: .propagate))
        XCTAssertTrue(propagate.output[0].isNaN)
        XCTAssertEqual(propagate.indices, [1, 3], "NaN wins, and of several NaNs the last is taken (PyTorch)")
        let ignore = Pool.maxForward(x, geometry: g, options: MaxOptions(nan: .ignore))
        XCTAssertEqual(ignore.output[0], 1)
        XCTAssertEqual(ignore.indices?[0], 0)
        XCTAssertTrue(ignore.output[1].isNaN, "a window of NaNs only yields NaN")
        XCTAssertEqual(ignore.indices?[1], 2)
        let ignoreLast = Pool.maxForward(x, geometry: g, options: MaxOptions(ties: .last, nan: .ignore))
        XCTAssertEqual(ignoreLast.indices, [0, 3])
        let propagateLast = Pool.maxForward(x, geometry: g, options: MaxOptions(ties: .last, nan: .propagate))
        XCTAssertEqual(propagateLast.indices, [1, 3])
    }

    /// Several NaNs in one window: the last (row-major) is selected under every tie rule, and
    /// `split` shares the gradient among the NaNs, on every path (1-D and 2-D row kernels, the
    /// channels_last kernel, the general 3-D path).
    func testSeveralNaNsSelectTheLastOnEveryPath() throws {
        let plane: [Float] = [1, 5, .nan, 2, 5, 3, .nan, 0, -1]
        let channels = 2
        let cl = plane.flatMap { [Float](repeating: $0, count: channels) }
        let problems: [(String, [Int], Layout, [Float], Int)] = [
            ("1-D", [1, 1, 9], .channelsFirst, plane, 1),
            ("2-D", [1, 1, 3, 3], .channelsFirst, plane, 1),
            ("2-D channels_last", [1, 3, 3, channels], .channelsLast, cl, channels),
            ("3-D", [1, 1, 1, 3, 3], .channelsFirst, plane, 1),
            ("3-D channels_last", [1, 1, 3, 3, channels], .channelsLast, cl, channels),
        ]
        for (name, shape, layout, x, c) in problems {
            let d = shape.count - 2
            let k = d == 1 ? [9] : d == 2 ? [3, 3] : [1, 3, 3]
            let g = try PoolGeometry(inputShape: shape, layout: layout,
                                     window: .fixed(kernel: k, stride: k, padding: .valid, dilation: k.map { _ in 1 }, ceilMode: false))
            for ties in TieRule.allCases {
                let options = MaxOptions(ties: ties)
                for wantMask in [true, false] {
                    let r = Pool.maxForward(x, geometry: g, options: options, indices: true, mask: wantMask)
                    XCTAssertTrue(r.output.allSatisfy(\.isNaN), "\(name) \(ties)")
                    XCTAssertEqual(r.indices, [Int64](repeating: 6, count: c), "\(name) \(ties) mask \(wantMask)")
                    if wantMask {
                        let share: Float = ties == .split ? 0.5 : 1
                        let want = [Float]([0, 0, ties == .split ? share : 0, 0, 0, 0, share, 0, 0])
                        XCTAssertEqual(r.mask, layout == .channelsLast ? want.flatMap { [Float](repeating: $0, count: c) } : want, "\(name) \(ties) mask")
                    }
                }
                let grad = Pool.maxBackward(gradOutput: [Float](repeating: 4, count: c), input: x, geometry: g, options: options)
                let want = [Float]([0, 0, ties == .split ? 2 : 0, 0, 0, 0, ties == .split ? 2 : 4, 0, 0])
                XCTAssertEqual(grad, layout == .channelsLast ? want.flatMap { [Float](repeating: $0, count: c) } : want, "\(name) \(ties) backward")
            }
            // ignore: the numbers compete, ties as asked.
            XCTAssertEqual(Pool.maxForward(x, geometry: g, options: MaxOptions(nan: .ignore)).indices, [Int64](repeating: 1, count: c), name)
            XCTAssertEqual(Pool.maxForward(x, geometry: g, options: MaxOptions(ties: .last, nan: .ignore)).indices, [Int64](repeating: 4, count: c), name)
        }
    }

    func testOverlappingWindowsSumTheirGradients() throws {
        // Windows [0,1,2], [1,2,3], [2,3,4] all select cell 2.
        let g = try geometry1D(5, k: 3, s: 1)
        let x: [Double] = [0, 1, 9, 1, 0]
        let r = Pool.maxForward(x, geometry: g, options: MaxOptions())
        XCTAssertEqual(r.indices, [2, 2, 2])
        XCTAssertEqual(r.mask, [0, 0, 3, 0, 0])
        XCTAssertEqual(Pool.maxBackward(gradOutput: [1, 2, 4], input: x, geometry: g, options: MaxOptions()), [0, 0, 7, 0, 0])
    }

    func testPaddedCellsNeverWin() throws {
        let g = try PoolGeometry(inputShape: [1, 1, 3], layout: .channelsFirst,
                                 window: .fixed(kernel: [3], stride: [1], padding: .symmetric([1]), dilation: [1], ceilMode: false))
        let r = Pool.maxForward([-5.0, -6, -7], geometry: g, options: MaxOptions())
        XCTAssertEqual(r.output, [-5, -5, -6])
    }

    /// channels_last gives the same numbers as channels_first on the transposed tensor, and the
    /// tensor index space addresses the whole input in its layout.
    func testLayoutsAndIndexSpacesAgree() throws {
        var rng = SeededRandom(seed: 7)
        let (n, c, h, w) = (2, 3, 7, 6)
        let cf = (0..<(n * c * h * w)).map { _ in Float(Int.random(in: -4...4, using: &rng)) }
        var cl = [Float](repeating: 0, count: cf.count)
        for b in 0..<n { for ch in 0..<c { for y in 0..<h { for x in 0..<w {
            cl[((b * h + y) * w + x) * c + ch] = cf[((b * c + ch) * h + y) * w + x]
        }}}}
        let spec = WindowSpec.fixed(kernel: [3, 2], stride: [2, 1], padding: .symmetric([1, 0]), dilation: [1, 1], ceilMode: true)
        let gcf = try PoolGeometry(inputShape: [n, c, h, w], layout: .channelsFirst, window: spec)
        let gcl = try PoolGeometry(inputShape: [n, h, w, c], layout: .channelsLast, window: spec)
        let (oh, ow) = (gcf.outputSpatial[0], gcf.outputSpatial[1])
        for space in IndexSpace.allCases {
            let a = Pool.maxForward(cf, geometry: gcf, options: MaxOptions(indexSpace: space))
            let b = Pool.maxForward(cl, geometry: gcl, options: MaxOptions(indexSpace: space))
            for bi in 0..<n { for ch in 0..<c { for y in 0..<oh { for x in 0..<ow {
                let i = ((bi * c + ch) * oh + y) * ow + x, j = ((bi * oh + y) * ow + x) * c + ch
                XCTAssertEqual(a.output[i], b.output[j])
                let planeIndex = space == .plane ? a.indices![i] : a.indices![i] - Int64((bi * c + ch) * h * w)
                let clPlane = space == .plane ? b.indices![j] : (b.indices![j] - Int64(bi * h * w * c + ch)) / Int64(c)
                XCTAssertEqual(planeIndex, clPlane)
                XCTAssertEqual(cf[Int(a.indices![i]) + (space == .plane ? (bi * c + ch) * h * w : 0)], a.output[i])
                XCTAssertEqual(cl[space == .tensor ? Int(b.indices![j]) : (bi * h * w + Int(b.indices![j])) * c + ch], b.output[j])
            }}}}
        }
    }

    func testBackwardFromIndicesMatchesBackwardFromInput() throws {
        var rng = SeededRandom(seed: 11)
        for layout in Layout.allCases {
            let shape = layout == .channelsFirst ? [2, 3, 5, 6, 4] : [2, 5, 6, 4, 3]
            let x = (0..<shape.reduce(1, *)).map { _ in Double(Int.random(in: 0...3, using: &rng)) }
            let g = try PoolGeometry(inputShape: shape, layout: layout,
                                     window: .fixed(kernel: [2, 3, 2], stride: [1, 2, 1], padding: .symmetric([1, 1, 0]), dilation: [1, 1, 2], ceilMode: true))
            let gy = (0..<g.outputCount).map { _ in Double(Int.random(in: -3...3, using: &rng)) }
            for space in IndexSpace.allCases {
                let options = MaxOptions(indexSpace: space)
                let r = Pool.maxForward(x, geometry: g, options: options)
                let a = Pool.maxBackward(gradOutput: gy, input: x, geometry: g, options: options)
                let b = try Pool.maxBackward(gradOutput: gy, indices: r.indices!, geometry: g, indexSpace: space)
                XCTAssertEqual(a, b, "\(layout) \(space)")
            }
        }
    }

    func testIndicesOutsideTheirWindowAreRejected() throws {
        let g = try geometry1D(6, k: 2, s: 2, channels: 2)
        XCTAssertThrowsError(try Pool.maxBackward(gradOutput: [Float](repeating: 1, count: 6), indices: [0, 1, 4, 0, 2, 5],
                                                  geometry: g, indexSpace: .plane)) { error in
            XCTAssertEqual((error as! IndexError).position, 1)
        }
        XCTAssertThrowsError(try Pool.maxBackward(gradOutput: [Float](repeating: 1, count: 6), indices: [0, 2, 4, 1, 2, 5],
                                                  geometry: g, indexSpace: .tensor)) { error in
            XCTAssertEqual((error as! IndexError).position, 3, "tensor index 1 belongs to channel 0, not 1")
        }
        XCTAssertThrowsError(try Pool.maxBackward(gradOutput: [Float](repeating: 1, count: 6), indices: [0, 2, -1, 0, 2, 4],
                                                  geometry: g, indexSpace: .plane))
    }
}
