import TensorJSON
import XCTest

/// The 16-bit conversions: exact widening, round-to-nearest-even narrowing, ±∞ on overflow,
/// NaN kept (what PyTorch's `.half()` and `.bfloat16()` do): the one implementation every
/// front end converts with.
final class HalfPrecisionTests: XCTestCase {
    func testEveryFP16AndBF16ValueRoundTrips() {
        for bits in 0...UInt16.max {
            let h = HalfPrecision.float(float16: bits)
            if h.isNaN { XCTAssertTrue(HalfPrecision.float(float16: HalfPrecision.float16(h)).isNaN) } else {
                XCTAssertEqual(HalfPrecision.float16(h), bits, "fp16 \(bits)")
            }
            let b = HalfPrecision.float(bfloat16: bits)
            if b.isNaN { XCTAssertTrue(HalfPrecision.float(bfloat16: HalfPrecision.bfloat16(b)).isNaN, "bf16 NaN \(bits) must stay NaN") } else {
                XCTAssertEqual(HalfPrecision.bfloat16(b), bits, "bf16 \(bits)")
            }
        }
    }

    func testBF16RoundsToNearestEven() {
        // 1 + 2^-8 lies halfway between 1 and 1 + 2^-7: the even one (1) wins; 1 + 3·2^-8 lies
        // between 1 + 2^-7 (odd) and 1 + 2^-6 (even).
        XCTAssertEqual(HalfPrecision.float(bfloat16: HalfPrecision.bfloat16(1 + 0x1p-8)), 1)
        XCTAssertEqual(HalfPrecision.float(bfloat16: HalfPrecision.bfloat16(1 + 3 * 0x1p-8)), 1 + 0x1p-6)
        XCTAssertEqual(HalfPrecision.float(bfloat16: HalfPrecision.bfloat16(1 + 0x1p-8 + 0x1p-20)), 1 + 0x1p-7, "above halfway rounds up")
        XCTAssertEqual(HalfPrecision.float(bfloat16: HalfPrecision.bfloat16(-(1 + 0x1p-8 + 0x1p-20))), -(1 + 0x1p-7))
        XCTAssertEqual(HalfPrecision.float(bfloat16: HalfPrecision.bfloat16(.greatestFiniteMagnitude)), .infinity, "past bf16's largest: ∞")
        XCTAssertEqual(HalfPrecision.float(bfloat16: HalfPrecision.bfloat16(-.greatestFiniteMagnitude)), -.infinity)
        XCTAssertEqual(HalfPrecision.bfloat16(-0.0), 0x8000)
        let nan = Float(bitPattern: 0x7F80_0001) // a signalling NaN whose payload lies in the low half only
        XCTAssertTrue(HalfPrecision.float(bfloat16: HalfPrecision.bfloat16(nan)).isNaN, "truncation must not turn it into ∞")
    }

    func testFP16RoundsToNearestEvenAndOverflowsToInfinity() {
        XCTAssertEqual(HalfPrecision.float(float16: HalfPrecision.float16(65504)), 65504)
        XCTAssertEqual(HalfPrecision.float(float16: HalfPrecision.float16(65519)), 65504)
        XCTAssertEqual(HalfPrecision.float(float16: HalfPrecision.float16(65520)), .infinity, "the midpoint to the next binade rounds to even: ∞")
        XCTAssertEqual(HalfPrecision.float(float16: HalfPrecision.float16(-1e6)), -.infinity)
        XCTAssertEqual(HalfPrecision.float(float16: HalfPrecision.float16(1 + 0x1p-11)), 1, "halfway between 1 and 1 + 2^-10: even")
        XCTAssertEqual(HalfPrecision.float(float16: HalfPrecision.float16(1 + 3 * 0x1p-11)), 1 + 0x1p-9)
        XCTAssertEqual(HalfPrecision.float(float16: HalfPrecision.float16(0x1p-25)), 0, "half the smallest subnormal ties to 0")
        XCTAssertEqual(HalfPrecision.float(float16: HalfPrecision.float16(0x1p-24)), 0x1p-24)
    }
}
