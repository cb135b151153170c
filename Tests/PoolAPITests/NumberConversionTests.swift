@testable import PoolAPI
import XCTest

/// Numbers are rounded once from their text, and the contract's range checks hold.
final class NumberConversionTests: XCTestCase {
    private func number(_ text: String) -> (JSONDocument, JSONNumber) {
        let doc = try! JSONParser.parse(Array("[\(text)]".utf8))
        guard case .array(let items) = doc.root, case .number(let n) = items[0] else { fatalError() }
        return (doc, n)
    }

    private func float(_ text: String) -> Result<Float, NumberProblem> {
        let (doc, n) = number(text)
        return doc.bytes.withUnsafeBufferPointer { NumberConversion.float($0, n) }
    }

    private func double(_ text: String) -> Result<Double, NumberProblem> {
        let (doc, n) = number(text)
        return doc.bytes.withUnsafeBufferPointer { NumberConversion.double($0, n) }
    }

    private func int64(_ text: String) -> Result<Int64, NumberProblem> {
        let (doc, n) = number(text)
        return doc.bytes.withUnsafeBufferPointer { NumberConversion.int64($0, n) }
    }

    func testFloat32IsRoundedOnceFromTheText() {
        // 1.00000005960464477539 lies exactly halfway between two floats; via Double it would round twice.
        XCTAssertEqual(try float("0.1").get(), Float(0.1))
        XCTAssertEqual(try float("3.4028235e38").get(), Float.greatestFiniteMagnitude)
        XCTAssertEqual(try float("1e-45").get(), Float.leastNonzeroMagnitude)
        XCTAssertEqual(try float("1.000000059604644775390625000001").get(), Float(bitPattern: 0x3F80_0001))
    }

    func testOverflowIsAProblemButUnderflowRounds() {
        XCTAssertEqual(float("1e39"), .failure(.overflow("float32")))
        XCTAssertEqual(double("1e99999"), .failure(.overflow("float64")))
        XCTAssertEqual(try double("1e-99999").get(), 0)
        XCTAssertEqual(try double("1e308").get(), 1e308)
    }

    func testIntegersBeyondFloatPrecision() {
        XCTAssertEqual(try float("16777216").get(), 16_777_216)
        XCTAssertEqual(float("16777217"), .failure(.inexactInteger("float32")))
        XCTAssertEqual(try float("16777218").get(), 16_777_218)
        XCTAssertEqual(double("9007199254740993"), .failure(.inexactInteger("float64")))
        XCTAssertEqual(try double("9007199254740992").get(), 9_007_199_254_740_992)
        // 2^70 written out in full is exact; one more is not.
        XCTAssertEqual(try double("1180591620717411303424").get(), 0x1p70)
        XCTAssertEqual(double("1180591620717411303425"), .failure(.inexactInteger("float64")))
        XCTAssertEqual(try double("1.5e30").get(), 1.5e30, "only integer literals are held to exactness")
    }

    func testInt64() {
        XCTAssertEqual(try int64("9223372036854775807").get(), .max)
        XCTAssertEqual(try int64("-9223372036854775808").get(), .min)
        XCTAssertEqual(int64("9223372036854775808"), .failure(.outOfRange("the int64 range")))
        XCTAssertEqual(int64("1.0"), .failure(.notInteger))
        XCTAssertEqual(int64("1e2"), .failure(.notInteger))
    }

    func testTenThousandDigits() {
        let long = "0." + String(repeating: "3", count: 10_000)
        XCTAssertEqual(try double(long).get(), 1.0 / 3.0)
        XCTAssertEqual(double(String(repeating: "9", count: 10_000)), .failure(.overflow("float64")))
    }
}
