import Dispatch
import Pooling
import XCTest

/// A ``Cancellation`` set while a call computes stops it soon after, on every entry point and
/// path; calls given a flag that is never set compute as without one.
final class CancellationTests: XCTestCase {
    /// Runs `body` with a flag set 50 ms after the start, and checks that the call was still
    /// running then (the problem is big enough) and returned well before it would have ended
    /// (each of these takes seconds uncancelled, in release builds too).
    private func assertStops(_ name: String, _ body: (Cancellation) throws -> Void) rethrows {
        let cancellation = Cancellation()
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(50)) { cancellation.cancel() }
        let start = DispatchTime.now().uptimeNanoseconds
        try body(cancellation)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        XCTAssertTrue(cancellation.isCancelled, "\(name) ended in \(seconds) s, before the cancel: make the problem bigger")
        XCTAssertLessThan(seconds, 1.0, "\(name) went on after the cancel")
    }

    private func geometry(_ shape: [Int], _ layout: Layout = .channelsFirst, k: Int, stride: Int = 1) throws -> PoolGeometry {
        let d = shape.count - 2
        return try PoolGeometry(inputShape: shape, layout: layout,
                                window: .fixed(kernel: [Int](repeating: 1, count: d - 1) + [k], stride: [Int](repeating: 1, count: d - 1) + [stride],
                                               padding: .valid, dilation: [Int](repeating: 1, count: d), ceilMode: false))
    }

    /// issue 18 item 4's request: lp, p 3.7, kernel 20000, stride 1 over 40000 inputs (4·10⁸ `pow`).
    func testOneHugeLpPlaneStops() throws {
        let g = try geometry([1, 1, 40_000], k: 20_000)
        let x = [Double](repeating: 1, count: g.inputCount)
        let gy = [Double](repeating: 1, count: g.outputCount)
        assertStops("lp forward") { _ = Pool.lpForward(x, geometry: g, p: 3.7, cancellation: $0) }
        assertStops("lp backward") { _ = Pool.lpBackward(gradOutput: gy, input: x, geometry: g, p: 3.7, cancellation: $0) }
    }

    /// Max and avg on each path: 1-D and 2-D row kernels, channels_last, the general 3-D path.
    func testEveryMaxAndAvgPathStops() throws {
        let shapes: [(String, [Int], Layout)] = [
            ("1-D", [1, 4, 40_000], .channelsFirst),
            ("2-D", [1, 4, 2, 40_000], .channelsFirst),
            ("2-D channels_last", [1, 2, 40_000, 4], .channelsLast),
            ("3-D", [1, 4, 1, 1, 40_000], .channelsFirst),
        ]
        for (name, shape, layout) in shapes {
            let g = try geometry(shape, layout, k: 20_000)
            let x = (0..<g.inputCount).map { Float($0 % 1000) }
            let gy = [Float](repeating: 1, count: g.outputCount)
            assertStops("\(name) max forward") { _ = Pool.maxForward(x, geometry: g, options: MaxOptions(), cancellation: $0) }
            assertStops("\(name) max forward without mask") {
                _ = Pool.maxForward(x, geometry: g, options: MaxOptions(), indices: true, mask: false, cancellation: $0)
            }
            assertStops("\(name) max forward, ties split") { _ = Pool.maxForward(x, geometry: g, options: MaxOptions(ties: .split), cancellation: $0) }
            assertStops("\(name) max backward") { _ = Pool.maxBackward(gradOutput: gy, input: x, geometry: g, options: MaxOptions(), cancellation: $0) }
            assertStops("\(name) avg forward") { _ = Pool.avgForward(x, geometry: g, options: AvgOptions(), cancellation: $0) }
            assertStops("\(name) avg backward") { _ = Pool.avgBackward(gradOutput: gy, geometry: g, options: AvgOptions(), cancellation: $0) }
        }
    }

    /// Backward from indices does work in proportion to the tensors only: a flag set before the
    /// call stops it before the scatter; one never set changes nothing.
    func testBackwardFromIndicesHonoursTheFlag() throws {
        let g = try geometry([2, 3, 50], k: 3, stride: 2)
        var rng = SystemRandomNumberGenerator()
        let x = (0..<g.inputCount).map { _ in Float(Int.random(in: -5...5, using: &rng)) }
        let gy = (0..<g.outputCount).map { _ in Float(Int.random(in: -3...3, using: &rng)) }
        let r = Pool.maxForward(x, geometry: g, options: MaxOptions())
        let plain = try Pool.maxBackward(gradOutput: gy, indices: r.indices!, geometry: g, indexSpace: .plane)
        XCTAssertEqual(try Pool.maxBackward(gradOutput: gy, indices: r.indices!, geometry: g, indexSpace: .plane, cancellation: Cancellation()), plain)
        let cancelled = Cancellation()
        cancelled.cancel()
        _ = try Pool.maxBackward(gradOutput: gy, indices: r.indices!, geometry: g, indexSpace: .plane, cancellation: cancelled)
        XCTAssertEqual(Pool.maxForward(x, geometry: g, options: MaxOptions(), cancellation: Cancellation()).output, r.output)
        XCTAssertEqual(Pool.lpForward(x, geometry: g, p: 2, cancellation: Cancellation()), Pool.lpForward(x, geometry: g, p: 2))
    }
}
