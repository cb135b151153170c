@testable import InferenceAPI
import XCTest

/// The 16-bit conversions: exact widening, round-to-nearest-even narrowing, ±∞ on overflow,
/// NaN kept (what PyTorch's `.half()` and `.bfloat16()` do).
final class HalfPrecisionTests: XCTestCase {
    func testEveryFP16AndBF16ValueRoundTrips() {
        for bits in 0...UInt16.max {
            let h = HalfPrecision.float(fp16: bits)
            if h.isNaN { XCTAssertTrue(HalfPrecision.float(fp16: HalfPrecision.fp16(h)).isNaN) } else {
                XCTAssertEqual(HalfPrecision.fp16(h), bits, "fp16 \(bits)")
            }
            let b = HalfPrecision.float(bf16: bits)
            if b.isNaN { XCTAssertTrue(HalfPrecision.float(bf16: HalfPrecision.bf16(b)).isNaN, "bf16 NaN \(bits) must stay NaN") } else {
                XCTAssertEqual(HalfPrecision.bf16(b), bits, "bf16 \(bits)")
            }
        }
    }

    func testBF16RoundsToNearestEven() {
        // 1 + 2^-8 lies halfway between 1 and 1 + 2^-7: the even one (1) wins; 1 + 3·2^-8 lies
        // between 1 + 2^-7 (odd) and 1 + 2^-6 (even).
        XCTAssertEqual(HalfPrecision.float(bf16: HalfPrecision.bf16(1 + 0x1p-8)), 1)
        XCTAssertEqual(HalfPrecision.float(bf16: HalfPrecision.bf16(1 + 3 * 0x1p-8)), 1 + 0x1p-6)
        XCTAssertEqual(HalfPrecision.float(bf16: HalfPrecision.bf16(1 + 0x1p-8 + 0x1p-20)), 1 + 0x1p-7, "above halfway rounds up")
        XCTAssertEqual(HalfPrecision.float(bf16: HalfPrecision.bf16(-(1 + 0x1p-8 + 0x1p-20))), -(1 + 0x1p-7))
        XCTAssertEqual(HalfPrecision.float(bf16: HalfPrecision.bf16(.greatestFiniteMagnitude)), .infinity, "past bf16's largest: ∞")
        XCTAssertEqual(HalfPrecision.float(bf16: HalfPrecision.bf16(-.greatestFiniteMagnitude)), -.infinity)
        XCTAssertEqual(HalfPrecision.bf16(-0.0), 0x8000)
        let nan = Float(bitPattern: 0x7F80_0001) // a signalling NaN whose payload lies in the low half only
        XCTAssertTrue(HalfPrecision.float(bf16: HalfPrecision.bf16(nan)).isNaN, "truncation must not turn it into ∞")
    }

    func testFP16RoundsToNearestEvenAndOverflowsToInfinity() {
        XCTAssertEqual(HalfPrecision.float(fp16: HalfPrecision.fp16(65504)), 65504)
        XCTAssertEqual(HalfPrecision.float(fp16: HalfPrecision.fp16(65519)), 65504)
        XCTAssertEqual(HalfPrecision.float(fp16: HalfPrecision.fp16(65520)), .infinity, "the midpoint to the next binade rounds to even: ∞")
        XCTAssertEqual(HalfPrecision.float(fp16: HalfPrecision.fp16(-1e6)), -.infinity)
        XCTAssertEqual(HalfPrecision.float(fp16: HalfPrecision.fp16(1 + 0x1p-11)), 1, "halfway between 1 and 1 + 2^-10: even")
        XCTAssertEqual(HalfPrecision.float(fp16: HalfPrecision.fp16(1 + 3 * 0x1p-11)), 1 + 0x1p-9)
        XCTAssertEqual(HalfPrecision.float(fp16: HalfPrecision.fp16(0x1p-25)), 0, "half the smallest subnormal ties to 0")
        XCTAssertEqual(HalfPrecision.float(fp16: HalfPrecision.fp16(0x1p-24)), 0x1p-24)
    }

    func testBinaryConversionsOfEveryWireType() {
        let values: [Float] = [1.5, -2.25, 0.1, 70000, .infinity, -0.0]
        for type in [TensorDataType.fp16, .bf16, .fp32, .fp64] {
            var bytes = [UInt8](repeating: 0, count: values.count * type.byteSize!)
            bytes.withUnsafeMutableBytes { Float.encode(values, as: type, into: $0.baseAddress!) }
            let back = bytes.withUnsafeBytes { Float.decode($0, as: type, count: values.count) }
            guard case .success(let decoded) = back else { return XCTFail("\(type)") }
            XCTAssertEqual(decoded, values.map { HalfPrecision.rounded($0, to: type) }, "\(type)")
            let wide = bytes.withUnsafeBytes { Double.decode($0, as: type, count: values.count) }
            XCTAssertEqual(try wide.get(), decoded.map(Double.init), "\(type) as float64")
        }
        XCTAssertEqual(HalfPrecision.rounded(70000, to: .fp16), .infinity)
        let big: [Double] = [1e300]
        var bytes = [UInt8](repeating: 0, count: 8)
        bytes.withUnsafeMutableBytes { Double.encode(big, as: .fp64, into: $0.baseAddress!) }
        guard case .failure(let e) = bytes.withUnsafeBytes({ Float.decode($0, as: .fp64, count: 1) }) else { return XCTFail("1e300 fits no float32") }
        XCTAssertTrue(e.message.contains("beyond the range of float32"), e.message)
    }
}
