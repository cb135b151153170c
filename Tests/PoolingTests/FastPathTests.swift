import Pooling
import TestSupport
import XCTest

/// The 2-D fast path against the general N-d path: the same 2-D problem posed as 3-D with a
/// leading spatial dim of 1 takes the general path, and every result must agree exactly.
final class FastPathTests: XCTestCase {
    /// A random 2-D problem (layout, window with padding, dilation and ceil mode, sometimes a
    /// kernel longer than the padded input) and the same problem posed in 3-D with a leading
    /// spatial dim of 1.
    private func randomProblem(_ rng: inout SeededRandom) -> (Layout, WindowSpec, WindowSpec, [Int], [Int]) {
        let (n, c) = (Int.random(in: 1...2, using: &rng), Int.random(in: 1...3, using: &rng))
        let (h, w) = (Int.random(in: 3...12, using: &rng), Int.random(in: 3...12, using: &rng))
        // One problem in four has a ceil-mode kernel longer than the padded input on some axis.
        let long = Int.random(in: 0..<4, using: &rng) == 0
        var k = [Int.random(in: 1...3, using: &rng), Int.random(in: 1...3, using: &rng)]
        var s = [Int.random(in: 1...3, using: &rng), Int.random(in: 1...3, using: &rng)]
        var pad = [Int.random(in: 0...(k[0] / 2), using: &rng), Int.random(in: 0...(k[1] / 2), using: &rng)]
        if long {
            // Longer than the padded input by r < stride cells: one window (ceil mode's rule).
            let a = Int.random(in: 0...1, using: &rng)
            s[a] = Int.random(in: 2...3, using: &rng)
            pad[a] = Int.random(in: 0...2, using: &rng)
            k[a] = [h, w][a] + 2 * pad[a] + Int.random(in: 1...(s[a] - 1), using: &rng)
        }
        let d = long ? [1, 1] : [Int.random(in: 1...2, using: &rng), Int.random(in: 1...2, using: &rng)]
        let ceil = long || Bool.random(using: &rng)
        let layout = Layout.allCases.randomElement(using: &rng)!
        return (layout,
                .fixed(kernel: k, stride: s, padding: .symmetric(pad), dilation: d, ceilMode: ceil),
                .fixed(kernel: [1] + k, stride: [1] + s, padding: .symmetric([0] + pad), dilation: [1] + d, ceilMode: ceil),
                layout == .channelsFirst ? [n, c, h, w] : [n, h, w, c],
                layout == .channelsFirst ? [n, c, 1, h, w] : [n, 1, h, w, c])
    }

    /// Whether some axis's effective kernel is longer than its padded input (ceil mode only).
    private func longerThanPadded(_ g: PoolGeometry) -> Bool {
        guard case .fixed(let k, _, _, let d, _) = g.window else { return false }
        let spatial = g.inputSpatial
        for a in 0..<k.count {
            let extent = d[a] * (k[a] - 1) + 1
            if extent > spatial[a] + g.padding[a].begin + g.padding[a].end { return true }
        }
        return false
    }

    func testTwoDimensionalMaxAgreesWithTheGeneralPath() throws {
        var rng = SeededRandom(seed: 77)
        var checked = 0
        var long = 0
        for trial in 0..<120 {
            let (layout, spec2, spec3, shape2, shape3) = randomProblem(&rng)
            let options = MaxOptions(ties: [TieRule.first, .last].randomElement(using: &rng)!,
                                     nan: NaNPolicy.allCases.randomElement(using: &rng)!,
                                     indexSpace: IndexSpace.allCases.randomElement(using: &rng)!)
            guard let g2 = try? PoolGeometry(inputShape: shape2, layout: layout, window: spec2) else { continue }
            let g3 = try PoolGeometry(inputShape: shape3, layout: layout, window: spec3)
            checked += 1
            if longerThanPadded(g2) { long += 1 }
            // Small integers (many ties) and some NaNs.
            let values: [Float] = [-2, -1, -0.0, 0, 1, 2, .nan, -.infinity]
            let x = (0..<g2.inputCount).map { _ in values.randomElement(using: &rng)! }
            let fast = Pool.maxForward(x, geometry: g2, options: options)
            let general = Pool.maxForward(x, geometry: g3, options: options)
            XCTAssertNil(Compare.exact(fast.output, general.output.map(Double.init)), "trial \(trial) output")
            XCTAssertEqual(fast.indices, general.indices, "trial \(trial) indices")
            XCTAssertEqual(fast.mask, general.mask, "trial \(trial) mask")
            // Without the mask, channels_last takes its own all-channels kernel.
            let noMask = Pool.maxForward(x, geometry: g2, options: options, indices: true, mask: false)
            XCTAssertNil(Compare.exact(noMask.output, general.output.map(Double.init)), "trial \(trial) output without mask")
            XCTAssertEqual(noMask.indices, general.indices, "trial \(trial) indices without mask")
            let gy = (0..<g2.outputCount).map { _ in Float(Int.random(in: -3...3, using: &rng)) }
            XCTAssertEqual(Pool.maxBackward(gradOutput: gy, input: x, geometry: g2, options: options),
                           Pool.maxBackward(gradOutput: gy, input: x, geometry: g3, options: options), "trial \(trial) backward")
        }
        XCTAssertGreaterThan(checked, 60, "most random problems are valid geometries")
        XCTAssertGreaterThan(long, 10, "some kernels are longer than the padded input")
    }

    func testTwoDimensionalAvgAgreesWithTheGeneralPath() throws {
        var rng = SeededRandom(seed: 78)
        var checked = 0
        var long = 0
        for trial in 0..<120 {
            let (layout, spec2, spec3, shape2, shape3) = randomProblem(&rng)
            let options = AvgOptions(countIncludePad: Bool.random(using: &rng), divisorOverride: Bool.random(using: &rng) ? nil : 3)
            guard let g2 = try? PoolGeometry(inputShape: shape2, layout: layout, window: spec2) else { continue }
            let g3 = try PoolGeometry(inputShape: shape3, layout: layout, window: spec3)
            checked += 1
            if longerThanPadded(g2) { long += 1 }
            let x = (0..<g2.inputCount).map { _ in Double.random(in: -4...4, using: &rng) }
            XCTAssertEqual(Pool.avgForward(x, geometry: g2, options: options), Pool.avgForward(x, geometry: g3, options: options), "trial \(trial) forward")
            let gy = (0..<g2.outputCount).map { _ in Double.random(in: -3...3, using: &rng) }
            XCTAssertEqual(Pool.avgBackward(gradOutput: gy, geometry: g2, options: options),
                           Pool.avgBackward(gradOutput: gy, geometry: g3, options: options), "trial \(trial) backward")
        }
        XCTAssertGreaterThan(checked, 60, "most random problems are valid geometries")
        XCTAssertGreaterThan(long, 10, "some kernels are longer than the padded input")
    }

    /// 1-D runs through the row kernels as a single row; posed as 3-D it takes the general path.
    func testOneDimensionalMaxAndAvgAgreeWithTheGeneralPath() throws {
        var rng = SeededRandom(seed: 79)
        var checked = 0
        var long = 0
        for trial in 0..<150 {
            let (n, c, w) = (Int.random(in: 1...2, using: &rng), Int.random(in: 1...3, using: &rng), Int.random(in: 3...20, using: &rng))
            // One problem in four has a ceil-mode kernel longer than the padded input.
            let longKernel = Int.random(in: 0..<4, using: &rng) == 0
            var k = Int.random(in: 1...4, using: &rng)
            var st = Int.random(in: 1...3, using: &rng)
            var pad = Int.random(in: 0...(k / 2), using: &rng)
            if longKernel {
                // Longer than the padded input by r < stride cells: one or two windows.
                st = Int.random(in: 2...4, using: &rng)
                pad = Int.random(in: 0...2, using: &rng)
                k = w + 2 * pad + Int.random(in: 1...(st - 1), using: &rng)
            }
            let d = longKernel ? 1 : Int.random(in: 1...2, using: &rng)
            let ceil = longKernel || Bool.random(using: &rng)
            let layout = Layout.allCases.randomElement(using: &rng)!
            let spec1 = WindowSpec.fixed(kernel: [k], stride: [st], padding: .symmetric([pad]), dilation: [d], ceilMode: ceil)
            let spec3 = WindowSpec.fixed(kernel: [1, 1, k], stride: [1, 1, st], padding: .symmetric([0, 0, pad]), dilation: [1, 1, d], ceilMode: ceil)
            guard let g1 = try? PoolGeometry(inputShape: layout == .channelsFirst ? [n, c, w] : [n, w, c], layout: layout, window: spec1) else { continue }
            let g3 = try PoolGeometry(inputShape: layout == .channelsFirst ? [n, c, 1, 1, w] : [n, 1, 1, w, c], layout: layout, window: spec3)
            checked += 1
            if longerThanPadded(g1) { long += 1 }
            let values: [Double] = [-2, -1, -0.0, 0, 1, 2, .nan, 0.5]
            let x = (0..<g1.inputCount).map { _ in values.randomElement(using: &rng)! }
            let options = MaxOptions(indexSpace: IndexSpace.allCases.randomElement(using: &rng)!)
            for mask in [true, false] {
                let a = Pool.maxForward(x, geometry: g1, options: options, mask: mask), b = Pool.maxForward(x, geometry: g3, options: options, mask: mask)
                XCTAssertNil(Compare.exact(a.output, b.output), "trial \(trial) max output")
                XCTAssertEqual(a.indices, b.indices, "trial \(trial) max indices")
                XCTAssertEqual(a.mask, b.mask, "trial \(trial) mask")
            }
            let finite = x.map { $0.isNaN ? 3 : $0 }
            let avg = AvgOptions(countIncludePad: Bool.random(using: &rng))
            XCTAssertEqual(Pool.avgForward(finite, geometry: g1, options: avg), Pool.avgForward(finite, geometry: g3, options: avg), "trial \(trial) avg")
            let gy = (0..<g1.outputCount).map { _ in Double(Int.random(in: -3...3, using: &rng)) }
            XCTAssertEqual(Pool.maxBackward(gradOutput: gy, input: x, geometry: g1, options: options),
                           Pool.maxBackward(gradOutput: gy, input: x, geometry: g3, options: options), "trial \(trial) max backward")
            XCTAssertEqual(Pool.avgBackward(gradOutput: gy, geometry: g1, options: avg), Pool.avgBackward(gradOutput: gy, geometry: g3, options: avg), "trial \(trial) avg backward")
        }
        XCTAssertGreaterThan(checked, 75)
        XCTAssertGreaterThan(long, 15, "some kernels are longer than the padded input")
    }
}
