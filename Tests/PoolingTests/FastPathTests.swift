import Pooling
import TestSupport
import XCTest

/// Every kernel layer (channels_first rows, channels_last) against the general N-d path on
/// random problems: 1-D to 3-D, both layouts, `Float` and `Double`, padding, dilation, strides
/// 1 to 3, ceil mode (kernels longer than the padded input too), rows and channel counts that
/// leave a last vector partly full, and values with ties, NaN, ±Inf and −0. The fast layers
/// visit taps and accumulate in the general path's order, so every result must agree bit for
/// bit (NaN payloads aside).
final class FastPathTests: XCTestCase {
    struct Problem {
        let shape: [Int]
        let layout: Layout
        let spec: WindowSpec
    }

    private func randomProblem(_ rng: inout SeededRandom) -> Problem {
        let d = Int.random(in: 1...3, using: &rng)
        let layout = Layout.allCases.randomElement(using: &rng)!
        let (n, c) = (Int.random(in: 1...2, using: &rng), layout == .channelsLast ? [1, 3, 4, 7, 8, 9, 16, 17].randomElement(using: &rng)! : Int.random(in: 1...3, using: &rng))
        var spatial = (0..<(d - 1)).map { _ in Int.random(in: 1...6, using: &rng) }
        spatial.append(Int.random(in: 0..<3, using: &rng) == 0 ? Int.random(in: 1...8, using: &rng) : Int.random(in: 9...45, using: &rng))
        var k = spatial.map { _ in Int.random(in: 1...4, using: &rng) }
        var s = spatial.map { _ in Int.random(in: 1...3, using: &rng) }
        var dilation = spatial.map { _ in Int.random(in: 0..<3, using: &rng) == 0 ? 2 : 1 }
        var pad = k.map { Int.random(in: 0...($0 / 2), using: &rng) }
        var ceil = Bool.random(using: &rng)
        if Int.random(in: 0..<5, using: &rng) == 0 {
            // A kernel longer than the padded input by r < stride cells: ceil mode's one window.
            let a = Int.random(in: 0..<d, using: &rng)
            s[a] = Int.random(in: 2...3, using: &rng)
            dilation[a] = 1
            pad[a] = Int.random(in: 0...2, using: &rng)
            k[a] = spatial[a] + 2 * pad[a] + Int.random(in: 1...(s[a] - 1), using: &rng)
            ceil = true
        }
        let shape = layout == .channelsFirst ? [n, c] + spatial : [n] + spatial + [c]
        return Problem(shape: shape, layout: layout,
                       spec: .fixed(kernel: k, stride: s, padding: .symmetric(pad), dilation: dilation, ceilMode: ceil))
    }

    /// Small integers (many ties), ±0, and now and then NaN and ±Inf.
    private func maxValues<T: PoolScalar>(_ count: Int, _ rng: inout SeededRandom) -> [T] {
        let special: [T] = [.nan, .infinity, -.infinity, -0.0, 0]
        return (0..<count).map { _ in
            Int.random(in: 0..<8, using: &rng) == 0 ? special.randomElement(using: &rng)! : T(Int.random(in: -3...3, using: &rng))
        }
    }

    /// The first element whose bits differ (NaN equals NaN), or nil.
    private func bits<T: PoolScalar>(_ got: [T], _ want: [T]) -> String? {
        guard got.count == want.count else { return "count \(got.count) ≠ \(want.count)" }
        for i in 0..<got.count where !(got[i].isNaN && want[i].isNaN) && !(got[i] == want[i] && got[i].sign == want[i].sign) {
            return "element \(i): got \(got[i]), want \(want[i])"
        }
        return nil
    }

    private func checkMax<T: PoolScalar>(_ g: PoolGeometry, _ options: MaxOptions, _ rng: inout SeededRandom, _ name: String, _: T.Type) throws {
        let x: [T] = maxValues(g.inputCount, &rng)
        let want = GeneralReference.maxForward(x, g, options)
        let got = Pool.maxForward(x, geometry: g, options: options)
        XCTAssertNil(bits(got.output, want.output), "\(name) output")
        XCTAssertEqual(got.indices, want.indices, "\(name) indices")
        XCTAssertNil(bits(got.mask!, want.mask!), "\(name) mask")
        let noMask = Pool.maxForward(x, geometry: g, options: options, indices: true, mask: false)
        XCTAssertNil(bits(noMask.output, want.output), "\(name) output without mask")
        XCTAssertEqual(noMask.indices, want.indices, "\(name) indices without mask")
        XCTAssertNil(bits(Pool.maxForward(x, geometry: g, options: options, indices: false, mask: false).output, want.output), "\(name) output alone")
        let gy = (0..<g.outputCount).map { _ in T(Int.random(in: -3...3, using: &rng)) }
        XCTAssertNil(bits(Pool.maxBackward(gradOutput: gy, input: x, geometry: g, options: options), GeneralReference.maxBackward(gy, x, g, options)),
                     "\(name) backward from input")
        let (wantGrad, _) = GeneralReference.maxBackward(gy, indices: want.indices!, g, options.indexSpace)
        XCTAssertNil(bits(try Pool.maxBackward(gradOutput: gy, indices: want.indices!, geometry: g, indexSpace: options.indexSpace), wantGrad),
                     "\(name) backward from indices")
        // A wrong index: both paths name the same first bad position.
        var wrong = want.indices!
        let at = Int.random(in: 0..<wrong.count, using: &rng)
        wrong[at] = [Int64(-1), Int64(g.inputCount), wrong[at] + 1, wrong[at] + Int64(g.inputSpatial.last!)].randomElement(using: &rng)!
        let (_, wantBad) = GeneralReference.maxBackward(gy, indices: wrong, g, options.indexSpace)
        do {
            _ = try Pool.maxBackward(gradOutput: gy, indices: wrong, geometry: g, indexSpace: options.indexSpace)
            XCTAssertNil(wantBad, "\(name): index \(wrong[at]) at \(at) accepted")
        } catch {
            XCTAssertEqual(error.position, wantBad, "\(name): index \(wrong[at]) at \(at)")
        }
    }

    func testMaxOnEveryLayerAgreesBitForBitWithTheGeneralPath() throws {
        var rng = SeededRandom(seed: 101)
        var paths: [String: Int] = [:]
        var long = 0
        for trial in 0..<400 {
            let problem = randomProblem(&rng)
            guard let g = try? PoolGeometry(inputShape: problem.shape, layout: problem.layout, window: problem.spec) else { continue }
            let options = MaxOptions(ties: [TieRule.first, .last].randomElement(using: &rng)!,
                                     nan: NaNPolicy.allCases.randomElement(using: &rng)!,
                                     indexSpace: IndexSpace.allCases.randomElement(using: &rng)!)
            let double = trial % 3 == 0
            paths[GeneralReference.path(g, Float.self, max: options) + (double ? " double" : ""), default: 0] += 1
            if longerThanPadded(g) { long += 1 }
            let name = "trial \(trial) \(problem.shape) \(problem.layout) \(problem.spec) \(options)"
            if double { try checkMax(g, options, &rng, name, Double.self) } else { try checkMax(g, options, &rng, name, Float.self) }
        }
        XCTAssertGreaterThan(paths["rows", default: 0], 100, "\(paths)")
        XCTAssertGreaterThan(paths["channelsLast", default: 0], 100, "\(paths)")
        XCTAssertGreaterThan(paths["rows double", default: 0] + paths["channelsLast double", default: 0], 60, "\(paths)")
        XCTAssertGreaterThan(long, 30, "kernels longer than the padded input")
    }

    func testAvgAndLpOnEveryLayerAgreeBitForBitWithTheGeneralPath() throws {
        var rng = SeededRandom(seed: 102)
        var checked = 0
        for trial in 0..<300 {
            let problem = randomProblem(&rng)
            guard let g = try? PoolGeometry(inputShape: problem.shape, layout: problem.layout, window: problem.spec) else { continue }
            checked += 1
            let options = AvgOptions(countIncludePad: Bool.random(using: &rng), divisorOverride: Int.random(in: 0..<4, using: &rng) == 0 ? 3 : nil)
            let p = [1, 2, 3.7].randomElement(using: &rng)!
            let name = "trial \(trial) \(problem.shape) \(problem.layout) \(problem.spec)"
            if trial % 2 == 0 {
                let x = (0..<g.inputCount).map { _ in Float.random(in: -4...4, using: &rng) }
                let gy = (0..<g.outputCount).map { _ in Float.random(in: -3...3, using: &rng) }
                checkAvgLp(x, gy, g, options, p, name)
            } else {
                let x = (0..<g.inputCount).map { _ in Double.random(in: -4...4, using: &rng) }
                let gy = (0..<g.outputCount).map { _ in Double.random(in: -3...3, using: &rng) }
                checkAvgLp(x, gy, g, options, p, name)
            }
        }
        XCTAssertGreaterThan(checked, 200)
    }

    private func checkAvgLp<T: PoolScalar>(_ x: [T], _ gy: [T], _ g: PoolGeometry, _ options: AvgOptions, _ p: Double, _ name: String) {
        XCTAssertNil(bits(Pool.avgForward(x, geometry: g, options: options), GeneralReference.avgForward(x, g, options)), "\(name) avg forward")
        XCTAssertNil(bits(Pool.avgBackward(gradOutput: gy, geometry: g, options: options), GeneralReference.avgBackward(gy, g, options)), "\(name) avg backward")
        XCTAssertNil(bits(Pool.lpForward(x, geometry: g, p: p), GeneralReference.lpForward(x, g, p)), "\(name) lp forward p \(p)")
        XCTAssertNil(bits(Pool.lpBackward(gradOutput: gy, input: x, geometry: g, p: p), GeneralReference.lpBackward(gy, x, g, p)), "\(name) lp backward p \(p)")
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
}
