@testable import Pooling
import TestSupport
import XCTest

/// Every kernel layer's loads and stores stay inside the tensors they are given: each tensor of
/// a call (input, gradOutput, indices, output, mask, gradInput) is placed against a
/// `PROT_NONE` guard page (``GuardedRegion``), once ending where the trailing guard begins and
/// once starting where the leading guard ends, so that one element read or written past either
/// end kills the test process, in a plain debug or release build as under AddressSanitizer.
/// Results must still agree bit for bit with the general path (``GeneralReference``).
///
/// The sweep covers what decides where the vectors of a row end: row lengths 1…70 (odd and
/// even; channels_last 1…40), kernels 1–5, strides 1, 2 (the double-width even loads) and 3 (column by column),
/// dilation 1 and 2, no padding and kernel/2, floor and ceil mode; channels_last with channel
/// counts around both lane widths; every op (max with indices and mask, indices only, values
/// only, under the four max rules and both index spaces; max backward from the input and from
/// indices; avg with and without padded cells or a divisor override; lp) forward and backward,
/// in `Float` and `Double`.
final class GuardPageTests: XCTestCase {
    /// One region per tensor of a call (at most four: x, y, indices, mask).
    private let regions = (0..<4).map { _ in GuardedRegion(capacity: 1 << 17) }

    override func setUp() {
        super.setUp()
        FaultNote.install()
    }

    override func tearDown() {
        FaultNote.uninstall()
        super.tearDown()
    }

    private static let maxRules: [MaxOptions] = [TieRule.first, .last].flatMap { ties in
        NaNPolicy.allCases.flatMap { nan in IndexSpace.allCases.map { MaxOptions(ties: ties, nan: nan, indexSpace: $0) } }
    }

    private static let exhaustive = getenv("GUARD_PAGES_EXHAUSTIVE").map { String(cString: $0) == "1" } ?? false

    /// Every window of the sweep: all combinations with `GUARD_PAGES_EXHAUSTIVE=1` (minutes in a
    /// debug build), else every kernel and stride with padding, dilation and ceil mode taking
    /// turns across row lengths, so that each combination meets odd and even rows (`width / 2`
    /// turns them) and, at stride 2, rows whose last window ends on the row's last cell and
    /// rows whose last window does not.
    private func windows(width: Int) -> [(kernel: Int, stride: Int, dilation: Int, pad: Int, ceil: Bool)] {
        var out: [(Int, Int, Int, Int, Bool)] = []
        for k in 1...5 {
            for s in 1...3 {
                var variants: [(Int, Int, Bool)] = []
                for d in (k == 1 ? [1] : [1, 2]) {
                    for p in Set([0, k / 2]).sorted() {
                        // Ceil mode changes nothing at stride 1.
                        for ceil in (s == 1 ? [false] : [false, true]) { variants.append((d, p, ceil)) }
                    }
                }
                if Self.exhaustive {
                    out += variants.map { (k, s, $0.0, $0.1, $0.2) }
                } else {
                    let v = variants[(width / 2 + k + s) % variants.count]
                    out.append((k, s, v.0, v.1, v.2))
                }
            }
        }
        return out
    }

    /// The row (last spatial axis) is `width` cells long; the outer axis has two rows, both in
    /// the window, so that the last vector of the one output row of the last plane (or
    /// sample) reads the tensor's last cells.
    private func geometry(_ layout: Layout, width: Int, channels: Int, _ w: (kernel: Int, stride: Int, dilation: Int, pad: Int, ceil: Bool)) -> PoolGeometry? {
        let shape = layout == .channelsFirst ? [1, channels, 2, width] : [1, 2, width, channels]
        let spec = WindowSpec.fixed(kernel: [2, w.kernel], stride: [1, w.stride], padding: .explicit(begin: [0, w.pad], end: [0, w.pad]),
                                    dilation: [1, w.dilation], ceilMode: w.ceil)
        return try? PoolGeometry(inputShape: shape, layout: layout, window: spec)
    }

    func testChannelsFirstRowsStayInsideTheirTensorsFloat() { sweep(.channelsFirst, Float.self, seed: 1) }
    func testChannelsFirstRowsStayInsideTheirTensorsDouble() { sweep(.channelsFirst, Double.self, seed: 2) }
    func testChannelsLastStaysInsideItsTensorsFloat() { sweep(.channelsLast, Float.self, seed: 3) }
    func testChannelsLastStaysInsideItsTensorsDouble() { sweep(.channelsLast, Double.self, seed: 4) }

    /// Adaptive, global and fractional windows (the general path) under the same guards.
    func testGeneralPathWindowsStayInsideTheirTensors() {
        var rng = SeededRandom(seed: 5)
        var n = 0
        for width in [1, 2, 7, 8, 9, 31, 33, 64, 70] {
            for layout in Layout.allCases {
                let shape = layout == .channelsFirst ? [2, 3, 4, width] : [2, 4, width, 3]
                var specs: [WindowSpec] = [.global, .adaptive(outputSize: [3, Swift.max(1, width / 3)]), .adaptive(outputSize: [2, width])]
                if width >= 3 {
                    // d = 2 samples per plane, N·C = 6 planes.
                    let samples = (0..<12).map { Double($0 % 5) / 5 + 0.1 }
                    specs.append(.fractional(FractionalWindows(.samples(kernel: [2, 2], outputSize: [2, (width - 1) / 2], samples: samples, singlePrecision: false))))
                }
                for spec in specs {
                    guard let g = try? PoolGeometry(inputShape: shape, layout: layout, window: spec) else { continue }
                    check(g, "\(shape) \(layout) \(spec)", n, Float.self, &rng)
                    check(g, "\(shape) \(layout) \(spec)", n, Double.self, &rng)
                    n += 1
                }
            }
        }
        XCTAssertGreaterThan(n, 40)
    }

    private func sweep<T: PoolScalar>(_ layout: Layout, _: T.Type, seed: UInt64) {
        var rng = SeededRandom(seed: seed)
        var paths: [String: Int] = [:]
        var n = 0
        // Stride-2 rows with a vector's worth of windows whose last window ends on the row's last
        // cell: their last vector loads with ``DoubleStrideFromEnd``.
        var fromEnd = 0
        let channelCounts = [1, 3, 4, 7, 8, 9, 16, 17]
        // channels_last runs its lanes over channels: the row length only decides which windows
        // are cut short, and rows up to 40 cells have every kind of cut (the sweep's time
        // goes to the channels_first rows, whose vectors run along the row).
        let widths = layout == .channelsFirst || Self.exhaustive ? 1...70 : 1...40
        for width in widths {
            for w in windows(width: width) {
                // channels_last: every channel count meets every row length and stride over the sweep.
                let channels = layout == .channelsFirst ? 2 : channelCounts[(width / 3 + w.kernel + 2 * w.stride) % channelCounts.count]
                guard let g = geometry(layout, width: width, channels: channels, w) else { continue }
                let name = "\(g.inputShape) \(layout) \(T.self) kernel \(w.kernel) stride \(w.stride) dilation \(w.dilation) pad \(w.pad) ceil \(w.ceil)"
                paths[GeneralReference.path(g, T.self, max: MaxOptions()) + " stride \(w.stride)", default: 0] += 1
                if let r = RowWindows(g), RowKernel(windows: r).lastPassesRowEnd, r.interior.count >= lanes(T.self) {
                    fromEnd += 1
                }
                check(g, name, n, T.self, &rng)
                n += 1
            }
        }
        let fast = layout == .channelsFirst ? "rows" : "channelsLast"
        for s in 1...3 { XCTAssertGreaterThan(paths["\(fast) stride \(s)", default: 0], 150, "\(paths)") }
        if layout == .channelsFirst {
            XCTAssertGreaterThan(fromEnd, 50, "stride-2 rows whose last vector loads from the end")
        }
    }

    private func lanes<T: PoolScalar>(_: T.Type) -> Int { T.self == Float.self ? SIMD8<Float>.width : SIMD4<Double>.width }

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

    /// Every op on `g` through the dispatch's path with guarded tensors, against the general path.
    private func check<T: PoolScalar>(_ g: PoolGeometry, _ name: String, _ n: Int, _: T.Type, _ rng: inout SeededRandom) {
        let options = Self.maxRules[n % Self.maxRules.count]
        let avg = AvgOptions(countIncludePad: n % 2 == 0, divisorOverride: n % 5 == 0 ? 3 : nil)
        let p = [1, 2, 3.7][n % 3]
        let x: [T] = maxValues(g.inputCount, &rng)
        let gy = (0..<g.outputCount).map { _ in T(Int.random(in: -3...3, using: &rng)) }
        let smooth = (0..<g.inputCount).map { _ in T(Double.random(in: -4...4, using: &rng)) }
        let want = GeneralReference.maxForward(x, g, options)
        let wantFromInput = GeneralReference.maxBackward(gy, x, g, options)
        let (wantFromIndices, _) = GeneralReference.maxBackward(gy, indices: want.indices!, g, options.indexSpace)
        let wantAvg = GeneralReference.avgForward(smooth, g, avg)
        let wantAvgBack = GeneralReference.avgBackward(gy, g, avg)
        let wantLp = GeneralReference.lpForward(smooth, g, p)
        let wantLpBack = GeneralReference.lpBackward(gy, smooth, g, p)
        for placement in GuardedPlacement.allCases {
            let at = "\(name) \(options) \(placement.rawValue)"
            FaultNote.set("max forward \(at)")
            for (indices, mask) in [(true, true), (true, false), (false, false)] {
                let got = maxForward(x, g, options, indices: indices, mask: mask, placement)
                XCTAssertNil(bits(got.output, want.output), "max forward output (indices \(indices), mask \(mask)) \(at)")
                if indices { XCTAssertEqual(got.indices, want.indices, "max forward indices (mask \(mask)) \(at)") }
                if mask { XCTAssertNil(bits(got.mask!, want.mask!), "max forward mask \(at)") }
            }
            FaultNote.set("max backward from the input \(at)")
            XCTAssertNil(bits(maxBackward(gy, x, g, options, placement), wantFromInput), "max backward from the input \(at)")
            FaultNote.set("max backward from indices \(at)")
            let (grad, bad) = maxBackward(gy, indices: want.indices!, g, options.indexSpace, placement)
            XCTAssertNil(bad, "max backward from indices: a forward index refused \(at)")
            XCTAssertNil(bits(grad, wantFromIndices), "max backward from indices \(at)")
            FaultNote.set("avg forward \(avg) \(at)")
            XCTAssertNil(bits(avgForward(smooth, g, avg, placement), wantAvg), "avg forward \(avg) \(at)")
            FaultNote.set("avg backward \(avg) \(at)")
            XCTAssertNil(bits(avgBackward(gy, g, avg, placement), wantAvgBack), "avg backward \(avg) \(at)")
            FaultNote.set("lp forward p \(p) \(at)")
            XCTAssertNil(bits(lpForward(smooth, g, p, placement), wantLp), "lp forward p \(p) \(at)")
            FaultNote.set("lp backward p \(p) \(at)")
            XCTAssertNil(bits(lpBackward(gy, smooth, g, p, placement), wantLpBack), "lp backward p \(p) \(at)")
        }
    }

    // MARK: The dispatch's path over guarded tensors

    private func array<T>(_ p: UnsafeMutablePointer<T>, _ count: Int) -> [T] { Array(UnsafeBufferPointer(start: p, count: count)) }

    private func maxForward<T: PoolScalar>(_ x: [T], _ g: PoolGeometry, _ options: MaxOptions, indices: Bool, mask: Bool,
                                           _ at: GuardedPlacement) -> MaxForwardResult<T> {
        let xp = regions[0].copy(x, at)
        let yp = regions[1].uninitialized(T.self, count: g.outputCount, at)
        let ip = indices ? regions[2].uninitialized(Int64.self, count: g.outputCount, at) : nil
        let mp = mask ? regions[3].uninitialized(T.self, count: g.inputCount, at) : nil
        KernelPath(g, T.self, .max(options)).run(MaxForwardCall(geometry: g, options: options, x: xp, y: yp, indices: ip, mask: mp, cancellation: nil))
        return MaxForwardResult(output: array(yp, g.outputCount), indices: ip.map { array($0, g.outputCount) }, mask: mp.map { array($0, g.inputCount) })
    }

    private func maxBackward<T: PoolScalar>(_ gy: [T], _ x: [T], _ g: PoolGeometry, _ options: MaxOptions, _ at: GuardedPlacement) -> [T] {
        let (xp, gp) = (regions[0].copy(x, at), regions[1].copy(gy, at))
        let rp = regions[2].uninitialized(T.self, count: g.inputCount, at)
        KernelPath(g, T.self, .max(options)).run(MaxBackwardCall(geometry: g, options: options, x: xp, gy: gp, grad: rp, cancellation: nil))
        return array(rp, g.inputCount)
    }

    private func maxBackward<T: PoolScalar>(_ gy: [T], indices: [Int64], _ g: PoolGeometry, _ space: IndexSpace, _ at: GuardedPlacement) -> ([T], Int?) {
        let (ip, gp) = (regions[0].copy(indices, at), regions[1].copy(gy, at))
        let rp = regions[2].uninitialized(T.self, count: g.inputCount, at)
        let call = IndexBackwardCall(geometry: g, indexSpace: space, indices: ip, gy: gp, grad: rp, cancellation: nil)
        KernelPath(g, T.self, .maxFromIndices).run(call)
        return (array(rp, g.inputCount), call.firstBad)
    }

    private func avgForward<T: PoolScalar>(_ x: [T], _ g: PoolGeometry, _ options: AvgOptions, _ at: GuardedPlacement) -> [T] {
        let (xp, yp) = (regions[0].copy(x, at), regions[1].uninitialized(T.self, count: g.outputCount, at))
        KernelPath(g, T.self, .avg).run(AvgForwardCall(geometry: g, options: options, x: xp, y: yp, cancellation: nil))
        return array(yp, g.outputCount)
    }

    private func avgBackward<T: PoolScalar>(_ gy: [T], _ g: PoolGeometry, _ options: AvgOptions, _ at: GuardedPlacement) -> [T] {
        let (gp, rp) = (regions[0].copy(gy, at), regions[1].uninitialized(T.self, count: g.inputCount, at))
        KernelPath(g, T.self, .avg).run(AvgBackwardCall(geometry: g, options: options, gy: gp, grad: rp, cancellation: nil))
        return array(rp, g.inputCount)
    }

    private func lpForward<T: PoolScalar>(_ x: [T], _ g: PoolGeometry, _ p: Double, _ at: GuardedPlacement) -> [T] {
        let (xp, yp) = (regions[0].copy(x, at), regions[1].uninitialized(T.self, count: g.outputCount, at))
        KernelPath(g, T.self, .lp).run(LpForwardCall(geometry: g, p: p, x: xp, y: yp, cancellation: nil))
        return array(yp, g.outputCount)
    }

    private func lpBackward<T: PoolScalar>(_ gy: [T], _ x: [T], _ g: PoolGeometry, _ p: Double, _ at: GuardedPlacement) -> [T] {
        let (xp, gp) = (regions[0].copy(x, at), regions[1].copy(gy, at))
        let rp = regions[2].uninitialized(T.self, count: g.inputCount, at)
        KernelPath(g, T.self, .lp).run(LpBackwardCall(geometry: g, p: p, x: xp, gy: gp, grad: rp, cancellation: nil))
        return array(rp, g.inputCount)
    }
}
