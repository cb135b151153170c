import Pooling
import XCTest

/// Output shapes and geometry errors for every window parameter.
final class GeometryTests: XCTestCase {
    private func out(_ n: [Int], k: [Int], s: [Int]? = nil, pad: Padding? = nil, d: [Int]? = nil, ceil: Bool = false,
                     layout: Layout = .channelsFirst) throws -> [Int] {
        let spec = WindowSpec.fixed(kernel: k, stride: s ?? k, padding: pad ?? .symmetric(k.map { _ in 0 }),
                                    dilation: d ?? k.map { _ in 1 }, ceilMode: ceil)
        let shape = layout == .channelsFirst ? [1, 1] + n : [1] + n + [1]
        let g = try PoolGeometry(inputShape: shape, layout: layout, window: spec)
        return g.outputSpatial
    }

    func testKernelAndStride() throws {
        XCTAssertEqual(try out([4, 4], k: [2, 2]), [2, 2])
        XCTAssertEqual(try out([5], k: [2]), [2])
        XCTAssertEqual(try out([7], k: [3], s: [1]), [5])
        XCTAssertEqual(try out([10, 9], k: [3, 2], s: [2, 3]), [4, 3])
    }

    func testSymmetricAndAsymmetricPadding() throws {
        XCTAssertEqual(try out([112], k: [3], s: [2], pad: .symmetric([1])), [56])
        XCTAssertEqual(try out([5], k: [3], s: [1], pad: .explicit(begin: [2], end: [0])), [5])
        XCTAssertEqual(try out([5], k: [3], s: [1], pad: .explicit(begin: [0], end: [1])), [4])
    }

    func testDilation() throws {
        // Effective kernel 2·(3−1)+1 = 5.
        XCTAssertEqual(try out([9], k: [3], s: [1], d: [2]), [5])
        XCTAssertEqual(try out([11, 9], k: [3, 2], s: [2, 1], pad: .symmetric([1, 0]), d: [2, 2]), [5, 7])
    }

    func testCeilModeAddsAWindowButNeverOneStartingInThePadding() throws {
        XCTAssertEqual(try out([5], k: [2], s: [2]), [2])
        XCTAssertEqual(try out([5], k: [2], s: [2], ceil: true), [3])
        // n=4, k=2, s=2, pad 1: ⌈(4+2−2)/2⌉+1 = 3; the third window would start at 4 = n + pad − 1 < n + pad: kept.
        XCTAssertEqual(try out([4], k: [2], s: [2], pad: .symmetric([1]), ceil: true), [3])
        // n=5, k=3, s=3, pad 1: ⌈(5+2−3)/3⌉+1 = 3, window 2 starts at 6 − 1 = 5 ≥ n: dropped.
        XCTAssertEqual(try out([5], k: [3], s: [3], pad: .symmetric([1]), ceil: true), [2])
    }

    func testSameValidAndSameLower() throws {
        XCTAssertEqual(try out([5], k: [4], s: [2], pad: .same), [3])
        XCTAssertEqual(try out([10, 7], k: [4, 4], s: [2, 3], pad: .same), [5, 3])
        XCTAssertEqual(try out([7], k: [3], s: [2], pad: .valid), [3])
        let upper = try PoolGeometry(inputShape: [1, 1, 6], layout: .channelsFirst,
                                     window: .fixed(kernel: [4], stride: [1], padding: .same, dilation: [1], ceilMode: false))
        XCTAssertEqual(upper.padding.map { [$0.begin, $0.end] }, [[1, 2]])
        let lower = try PoolGeometry(inputShape: [1, 1, 6], layout: .channelsFirst,
                                     window: .fixed(kernel: [4], stride: [1], padding: .sameLower, dilation: [1], ceilMode: false))
        XCTAssertEqual(lower.padding.map { [$0.begin, $0.end] }, [[2, 1]])
        XCTAssertEqual(lower.outputSpatial, [6])
    }

    func testLayoutsPlaceChannelsAndKeepBatch() throws {
        let cf = try PoolGeometry(inputShape: [2, 3, 8, 6], layout: .channelsFirst,
                                  window: .fixed(kernel: [2, 2], stride: [2, 2], padding: .valid, dilation: [1, 1], ceilMode: false))
        XCTAssertEqual(cf.outputShape, [2, 3, 4, 3])
        let cl = try PoolGeometry(inputShape: [2, 8, 6, 3], layout: .channelsLast,
                                  window: .fixed(kernel: [2, 2], stride: [2, 2], padding: .valid, dilation: [1, 1], ceilMode: false))
        XCTAssertEqual(cl.outputShape, [2, 4, 3, 3])
        XCTAssertEqual(cl.channels, 3)
    }

    func testAdaptiveAndGlobal() throws {
        let a = try PoolGeometry(inputShape: [1, 2, 7, 5], layout: .channelsFirst, window: .adaptive(outputSize: [3, 9]))
        XCTAssertEqual(a.outputShape, [1, 2, 3, 9])
        let g = try PoolGeometry(inputShape: [2, 3, 4, 5, 6], layout: .channelsFirst, window: .global)
        XCTAssertEqual(g.outputShape, [2, 3, 1, 1, 1])
        XCTAssertEqual(g.windowCells, 120)
    }

    func testErrorsNameTheDimensionAndValues() {
        XCTAssertThrowsError(try out([3], k: [4])) { error in
            let e = error as! GeometryError
            XCTAssertEqual(e.kind, .emptyOutput)
            XCTAssertEqual(e.axis, 0)
            XCTAssertTrue(e.message.contains("input size 3"), e.message)
        }
        XCTAssertThrowsError(try out([4, 2], k: [2, 3], d: [1, 1])) { error in
            XCTAssertEqual((error as! GeometryError).axis, 1)
        }
        // The first window lies wholly in the padding.
        XCTAssertThrowsError(try out([4], k: [2], s: [1], pad: .symmetric([2]))) { error in
            XCTAssertEqual((error as! GeometryError).kind, .windowOutsideInput)
        }
        // Dilation can skip over a two-cell input: taps at −1 and 2.
        XCTAssertThrowsError(try out([2], k: [2], s: [1], pad: .symmetric([1]), d: [3])) { error in
            XCTAssertEqual((error as! GeometryError).kind, .windowOutsideInput)
        }
        XCTAssertThrowsError(try PoolGeometry(inputShape: [1, 1], layout: .channelsFirst, window: .global)) { error in
            XCTAssertEqual((error as! GeometryError).kind, .rank)
        }
        XCTAssertThrowsError(try PoolGeometry(inputShape: [1, 1, 4, 4], layout: .channelsFirst, window: .adaptive(outputSize: [2]))) { error in
            XCTAssertEqual((error as! GeometryError).kind, .rank)
        }
    }

    func testHugeShapesAreRefusedBeforeAnyAllocation() {
        let big = Int(Int32.max)
        XCTAssertThrowsError(try PoolGeometry(inputShape: [big, big, big, 2], layout: .channelsFirst, window: .global)) { error in
            // The work (output × window cells) does not fit 64 bits: no limit could allow it.
            XCTAssertEqual((error as! GeometryError).kind, .overflow)
        }
        // A valid geometry whose output is too large for the caller's limit.
        XCTAssertThrowsError(try PoolGeometry(inputShape: [1, 1, 1], layout: .channelsFirst,
                                              window: .fixed(kernel: [big], stride: [1], padding: .symmetric([big - 1]), dilation: [1], ceilMode: false),
                                              maxOutputElements: 1 << 24)) { error in
            XCTAssertEqual((error as! GeometryError).kind, .tooLarge)
        }
    }
}
