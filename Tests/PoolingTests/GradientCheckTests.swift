import Pooling
import TestSupport
import XCTest

/// The backward pass against central finite differences of the forward pass, in float64, for
/// every mode in 1-D, 2-D and 3-D, with fixed, adaptive and global windows.
final class GradientCheckTests: XCTestCase {
    enum Mode { case max(TieRule), avg(AvgOptions), lp(Double) }

    private func forward(_ x: [Double], _ g: PoolGeometry, _ mode: Mode) -> [Double] {
        switch mode {
        case .max(let ties): return Pool.maxForward(x, geometry: g, options: MaxOptions(ties: ties), indices: false, mask: false).output
        case .avg(let o): return Pool.avgForward(x, geometry: g, options: o)
        case .lp(let p): return Pool.lpForward(x, geometry: g, p: p)
        }
    }

    private func backward(_ gy: [Double], _ x: [Double], _ g: PoolGeometry, _ mode: Mode) -> [Double] {
        switch mode {
        case .max(let ties): return Pool.maxBackward(gradOutput: gy, input: x, geometry: g, options: MaxOptions(ties: ties))
        case .avg(let o): return Pool.avgBackward(gradOutput: gy, geometry: g, options: o)
        case .lp(let p): return Pool.lpBackward(gradOutput: gy, input: x, geometry: g, p: p)
        }
    }

    /// ∂(gy·f(x))/∂x_i by central differences.
    private func numericGradient(_ x: [Double], _ gy: [Double], _ g: PoolGeometry, _ mode: Mode, h: Double = 1e-6) -> [Double] {
        (0..<x.count).map { i in
            var plus = x, minus = x
            plus[i] += h
            minus[i] -= h
            let fp = zip(forward(plus, g, mode), gy).map(*).reduce(0, +)
            let fm = zip(forward(minus, g, mode), gy).map(*).reduce(0, +)
            return (fp - fm) / (2 * h)
        }
    }

    private func specs(_ d: Int) -> [WindowSpec] {
        let ones = Array(repeating: 1, count: d)
        return [
            .fixed(kernel: Array(repeating: 3, count: d), stride: Array(repeating: 2, count: d), padding: .symmetric(ones), dilation: ones, ceilMode: true),
            .fixed(kernel: Array(repeating: 2, count: d), stride: ones, padding: .same, dilation: Array(repeating: 2, count: d), ceilMode: false),
            .adaptive(outputSize: Array(repeating: 3, count: d)),
            .global,
        ]
    }

    func testEveryModeMatchesFiniteDifferencesWithoutTies() throws {
        var rng = SeededRandom(seed: 2024)
        let modes: [Mode] = [.max(.first), .avg(AvgOptions()), .avg(AvgOptions(countIncludePad: false)),
                             .avg(AvgOptions(divisorOverride: 3)), .lp(2), .lp(3.5), .lp(1.5)]
        for d in 1...3 {
            let spatial = [5, 4, 3].prefix(d)
            let shape = [1, 2] + spatial
            for spec in specs(d) {
                let g = try PoolGeometry(inputShape: shape, layout: .channelsFirst, window: spec)
                // Distinct values, far from each other and from zero: no ties, no kinks.
                var values = (0..<g.inputCount).map { Double($0 + 1) * 0.37 }
                values.shuffle(using: &rng)
                let x = values.map { Bool.random(using: &rng) ? $0 : -$0 }
                let gy = (0..<g.outputCount).map { _ in Double.random(in: -1...1, using: &rng) }
                for mode in modes {
                    let analytic = backward(gy, x, g, mode)
                    let numeric = numericGradient(x, gy, g, mode)
                    XCTAssertNil(Compare.close(analytic, numeric, tolerance: 1e-5, absolute: 1e-7), "\(d)-D \(spec) \(mode)")
                }
            }
        }
    }

    /// Fractional windows (PyTorch's from samples, TensorFlow's overlapping boundaries) against
    /// central differences, in 1-D to 3-D.
    func testFractionalMaxMatchesFiniteDifferences() throws {
        var rng = SeededRandom(seed: 7)
        let boundaries = [[0, 2, 5], [0, 1, 4], [0, 2, 3]]
        for d in 1...3 {
            let spatial = Array([5, 4, 3].prefix(d))
            let shape = [1, 2] + spatial
            let samples = (0..<(2 * d)).map { _ in Double.random(in: 0..<1, using: &rng) }
            let specs: [WindowSpec] = [
                .fractional(FractionalWindows(.samples(kernel: Array(repeating: 2, count: d), outputSize: spatial.map { $0 - 1 == 3 ? 3 : 2 },
                                                       samples: samples, singlePrecision: false))),
                .fractional(FractionalWindows(.boundaries(Array(boundaries.prefix(d)), overlapping: true))),
            ]
            for spec in specs {
                let g = try PoolGeometry(inputShape: shape, layout: .channelsFirst, window: spec)
                var values = (0..<g.inputCount).map { Double($0 + 1) * 0.37 }
                values.shuffle(using: &rng)
                let x = values.map { Bool.random(using: &rng) ? $0 : -$0 }
                let gy = (0..<g.outputCount).map { _ in Double.random(in: -1...1, using: &rng) }
                let analytic = backward(gy, x, g, .max(.first))
                let numeric = numericGradient(x, gy, g, .max(.first))
                XCTAssertNil(Compare.close(analytic, numeric, tolerance: 1e-5, absolute: 1e-7), "\(d)-D \(spec)")
            }
        }
    }

    /// With tied maxima the max is not differentiable: the central difference averages the
    /// tied directions. `split` matches it; `first` and `last`, each a valid subgradient, do not.
    func testTiedMaximaSplitMatchesTheCentralDifference() throws {
        for d in 1...3 {
            let shape = [1, 1] + Array(repeating: 2, count: d)
            let g = try PoolGeometry(inputShape: shape, layout: .channelsFirst, window: .global)
            var x = [Double](repeating: 0, count: g.inputCount)
            x[0] = 4
            x[x.count - 1] = 4 // two tied maxima
            let gy = [1.0]
            let numeric = numericGradient(x, gy, g, .max(.first), h: 1e-3)
            XCTAssertEqual(numeric[0], 0.5, accuracy: 1e-9)
            XCTAssertNil(Compare.close(backward(gy, x, g, .max(.split)), numeric, tolerance: 1e-9), "\(d)-D split")
            XCTAssertNotNil(Compare.close(backward(gy, x, g, .max(.first)), numeric, tolerance: 1e-9), "\(d)-D first")
            XCTAssertNotNil(Compare.close(backward(gy, x, g, .max(.last)), numeric, tolerance: 1e-9), "\(d)-D last")
            XCTAssertEqual(backward(gy, x, g, .max(.first)).reduce(0, +), 1)
            XCTAssertEqual(backward(gy, x, g, .max(.last)).reduce(0, +), 1)
        }
    }
}
