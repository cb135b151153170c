@testable import TensorJSON
import Foundation
import TestSupport
import XCTest

/// Numbers are rounded once from their text, and the contract's range checks hold.
final class NumberConversionTests: XCTestCase {
    private func number(_ text: String) -> (JSONDocument, JSONNumber) {
        let doc = try! JSONParser.parse(Array("[\(text)]".utf8), limits: JSONParseLimits(maxNumberLength: .max))
        guard case .number(let n)? = doc.root.items?.first else { fatalError() }
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

    /// The exact fast path against C's correctly rounded strtod / strtof on random decimals of
    /// 1 to 25 digits and exponents from −40 to 40, and on float32 values printed as doubles
    /// (what numpy's tolist() sends).
    func testFastPathMatchesStrtodAndStrtof() {
        var rng = SeededRandom(seed: 3)
        var texts: [String] = []
        for _ in 0..<20_000 {
            let digits = (0..<Int.random(in: 1...25, using: &rng)).map { _ in String(Int.random(in: 0...9, using: &rng)) }.joined()
            let point = Int.random(in: 0...digits.count, using: &rng)
            var t = String(digits.prefix(point)) + (point < digits.count ? "." + digits.dropFirst(point) : "")
            if t.hasPrefix(".") { t = "0" + t }
            while t.count > 1 && t.hasPrefix("0") && !t.hasPrefix("0.") { t.removeFirst() }
            if Bool.random(using: &rng) { t += "e\(Int.random(in: -40...40, using: &rng))" }
            if Bool.random(using: &rng) { t = "-" + t }
            texts.append(t)
        }
        for _ in 0..<20_000 {
            let f = Float(bitPattern: UInt32.random(in: 0...0x7F7F_FFFF, using: &rng))
            texts.append(Double(f).description)
        }
        // Decimals of 15 to 17 digits next to midpoints between floats, where rounding a nearby
        // double to float would go wrong.
        for _ in 0..<10_000 {
            let f = Float(bitPattern: UInt32.random(in: 0x0080_0000...0x7F7F_FFFF, using: &rng))
            let mid = (Double(f) + Double(f.nextUp)) / 2
            texts.append(String(format: "%.\(Int.random(in: 14...16, using: &rng))e", mid))
            texts.append(String(format: "%.16e", mid.nextUp))
            texts.append(String(format: "%.16e", mid.nextDown))
        }
        for t in texts {
            let isInteger = !t.contains(".") && !t.contains("e")
            if let f = try? float(t).get() {
                XCTAssertEqual(f.bitPattern, strtof(t, nil).bitPattern, t)
            } else {
                XCTAssertTrue(strtof(t, nil).isInfinite || isInteger, t)
            }
            if let d = try? double(t).get() {
                XCTAssertEqual(d.bitPattern, strtod(t, nil).bitPattern, t)
            } else {
                XCTAssertTrue(strtod(t, nil).isInfinite || isInteger, t)
            }
        }
    }

    /// Inside a long flat run the reader finds where each number ends itself (eight digits per
    /// step, the last step counting the digits before the separator): every digit count from 1
    /// to 25 on both sides of the point, both signs, with and without exponents and spaces,
    /// against strtof / strtod, through both the run (on all cores) and the nested path.
    func testNumbersInsideARunMatchStrtofAndStrtod() throws {
        var rng = SeededRandom(seed: 7)
        var texts: [String] = []
        while texts.count < 120_000 {
            let whole = Int.random(in: 0...12, using: &rng), fraction = Int.random(in: 0...25, using: &rng)
            let digits = { (n: Int) in (0..<n).map { _ in String(Int.random(in: 0...9, using: &rng)) }.joined() }
            var t = whole == 0 ? "0" : String(Int.random(in: 1...9, using: &rng)) + digits(whole - 1)
            if fraction > 0 { t += "." + digits(fraction) }
            if Bool.random(using: &rng) { t += ["e", "E", "e+", "e-"].randomElement(using: &rng)! + String(Int.random(in: 0...30, using: &rng)) }
            if Bool.random(using: &rng) { t = "-" + t }
            let isInteger = !t.contains(".") && !t.lowercased().contains("e")
            // Only values both types hold (no overflow, no inexact integer literal).
            guard strtof(t, nil).isFinite, !isInteger || Swift.abs(strtod(t, nil)) <= 16_777_216 else { continue }
            texts.append(t)
        }
        let separators = [",", ", ", " ,", ",\n  "]
        var body = "{\"shape\":[\(texts.count)],\"data\":["
        for (k, t) in texts.enumerated() {
            if k > 0 { body += separators[k % 37 == 0 ? k % 4 : 0] }
            body += t
        }
        body += "]}"
        XCTAssertGreaterThan(body.utf8.count, JSONParser.parallelRunBytes, "the run must be long enough to be read on all cores")
        let floats = try TensorCodec.readFloat32(Array(body.utf8)).values
        let doubles = try TensorCodec.readFloat64(Array(body.utf8)).values
        XCTAssertEqual(floats.count, texts.count)
        var wrong = 0
        for (k, t) in texts.enumerated() where floats[k].bitPattern != strtof(t, nil).bitPattern || doubles[k].bitPattern != strtod(t, nil).bitPattern {
            wrong += 1
            if wrong <= 5 { XCTFail("\(t): read \(floats[k]) / \(doubles[k])") }
        }
        // The same numbers as rows of a nested tensor (the walk and the regular conversion).
        let rows = texts.count / 8
        let nested = "[" + (0..<rows).map { r in "[" + texts[(8 * r)..<(8 * r + 8)].joined(separator: ",") + "]" }.joined(separator: ",") + "]"
        let nestedFloats = try TensorCodec.readFloat32(Array(nested.utf8)).values
        XCTAssertEqual(nestedFloats.map(\.bitPattern), floats[..<(8 * rows)].map(\.bitPattern))
    }

    func testTenThousandDigits() {
        let long = "0." + String(repeating: "3", count: 10_000)
        XCTAssertEqual(try double(long).get(), 1.0 / 3.0)
        XCTAssertEqual(double(String(repeating: "9", count: 10_000)), .failure(.overflow("float64")))
    }
}
