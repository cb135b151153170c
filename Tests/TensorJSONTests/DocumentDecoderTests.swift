import Foundation
import TensorJSON
import XCTest

/// The document decoder on its own: every JSON type against the Swift types models use,
/// pointers of nested problems, unknown and repeated fields, exact integers, `null`.
final class DocumentDecoderTests: XCTestCase {
    struct Scalars: Decodable {
        enum CodingKeys: String, CodingKey, CaseIterable { case b, s, i, i64, d, f, u8, list, nested }
        var b: Bool?, s: String?, i: Int?, i64: Int64?, d: Double?, f: Float?, u8: UInt8?
        var list: [Int]?
        var nested: Inner?
    }

    struct Inner: Decodable {
        enum CodingKeys: String, CodingKey, CaseIterable { case x, y }
        var x: Int?
        var y: [String]?
    }

    private func decode<T: Decodable>(_ type: T.Type, _ text: String) -> (T?, [String: String]) {
        let document = try! JSONParser.parse(Array(text.utf8))
        let (value, problems) = JSONDocumentDecoder().decode(T.self, from: document)
        return (value, Dictionary(problems.problems.map { ($0.pointer, $0.detail) }, uniquingKeysWith: { a, _ in a }))
    }

    func testEveryScalarFromEveryJSONType() {
        let values = [("true", "a boolean"), ("\"t\"", "a string"), ("7", "7"), ("2.5", "2.5"), ("null", "null"), ("[1]", "an array"), ("{}", "an object")]
        for (json, _) in values {
            let (v, problems) = decode(Scalars.self, "{\"b\": \(json), \"s\": \(json), \"i\": \(json), \"d\": \(json), \"f\": \(json)}")
            XCTAssertNotNil(v, json)
            XCTAssertEqual(problems["/b"] == nil, json == "true", json)
            XCTAssertEqual(problems["/s"] == nil, json == "\"t\"", json)
            XCTAssertEqual(problems["/i"] == nil, json == "7", json)
            XCTAssertEqual(problems["/d"] == nil, json == "7" || json == "2.5", json)
            XCTAssertEqual(problems["/f"] == nil, json == "7" || json == "2.5", json)
        }
        let (v, problems) = decode(Scalars.self, #"{"b": false, "s": "x\u00e9", "i": -3, "d": 1e-300, "f": 0.1}"#)
        XCTAssertTrue(problems.isEmpty, "\(problems)")
        XCTAssertEqual(v?.b, false)
        XCTAssertEqual(v?.s, "xé")
        XCTAssertEqual(v?.i, -3)
        XCTAssertEqual(v?.d, 1e-300)
        XCTAssertEqual(v?.f, Float(0.1))
    }

    func testMessagesSayWhatWasFound() {
        let (_, problems) = decode(Scalars.self, #"{"b": 1, "s": null, "i": 2.5, "d": "x", "f": 1e39}"#)
        XCTAssertEqual(problems["/b"], "must be true or false, got a number")
        XCTAssertEqual(problems["/s"], "must be a string, got null")
        XCTAssertEqual(problems["/i"], "must be an integer, got 2.5")
        XCTAssertEqual(problems["/d"], "must be a number, got a string")
        XCTAssertEqual(problems["/f"], "1e39 is beyond the range of float32")
    }

    func testIntegersAreExactPastInt32AndRefusedPastInt64() {
        let (v, problems) = decode(Scalars.self, #"{"i": 9007199254740993, "i64": -9223372036854775808, "u8": 255}"#)
        XCTAssertTrue(problems.isEmpty, "\(problems)")
        XCTAssertEqual(v?.i, 9_007_199_254_740_993)
        XCTAssertEqual(v?.i64, .min)
        XCTAssertEqual(v?.u8, 255)
        let (_, bad) = decode(Scalars.self, #"{"i": 9223372036854775808, "u8": 256, "i64": 1e3}"#)
        XCTAssertEqual(bad["/i"], "9223372036854775808 is outside the int64 range")
        XCTAssertEqual(bad["/u8"], "256 is outside 0...255")
        XCTAssertEqual(bad["/i64"], "must be an integer, got 1e3")
    }

    func testNestedProblemsCarryTheirPointers() {
        let (v, problems) = decode(Scalars.self, #"{"list": [1, "two", 3], "nested": {"x": true, "y": ["a", 2], "z": 1}}"#)
        XCTAssertNotNil(v)
        XCTAssertEqual(problems["/list/1"], "must be an integer, got a string")
        XCTAssertEqual(problems["/nested/x"], "must be an integer, got a boolean")
        XCTAssertEqual(problems["/nested/z"], "unknown field \"z\"")
        XCTAssertEqual(v?.nested?.y, nil)
    }

    func testUnknownAndRepeatedFields() {
        let (_, problems) = decode(Scalars.self, #"{"i": 1, "i": 2, "strides": 1, "a/b~c": 0}"#)
        XCTAssertEqual(problems["/i"], "field \"i\" appears more than once")
        XCTAssertEqual(problems["/strides"], "unknown field \"strides\"")
        XCTAssertEqual(problems["/a~1b~0c"], "unknown field \"a/b~c\"")
        // A hostile member name is cut, in the pointer and the message.
        let long = String(repeating: "k", count: 10_000)
        let (_, cut) = decode(Scalars.self, "{\"\(long)\": 1}")
        XCTAssertEqual(cut.count, 1)
        XCTAssertLessThan((cut.first?.key.count ?? 0) + (cut.first?.value.count ?? 0), 400)
    }

    func testRootMustBeAnObject() {
        let (v, problems) = decode(Scalars.self, "[1, 2]")
        XCTAssertNil(v)
        XCTAssertEqual(problems[""], "the request body must be a JSON object, got an array")
    }

    func testTensorPayloadsKeepTheirPlaceAndReadLater() {
        struct Holder: Decodable { let t: TensorPayload? }
        let (h, problems) = decode(Holder.self, #"{"t": {"shape": [2], "data": [1.5, "NaN"]}}"#)
        XCTAssertTrue(problems.isEmpty)
        var more = ProblemList()
        XCTAssertEqual(h?.t?.read(Float.self, problems: &more)?.first, 1.5)
        XCTAssertTrue(h?.t?.read(Double.self, problems: &more)?[1].isNaN ?? false)
        let (_, bad) = decode(Holder.self, #"{"t": {"shape": [3], "data": [1, 2]}}"#)
        XCTAssertEqual(bad["/t/data"], "has 2 elements but shape [3] needs 3")
    }

    func testNumbersAreEchoedCut() {
        let digits = String(repeating: "9", count: 1_000)
        let (_, problems) = decode(Scalars.self, "{\"i\": \(digits)}")
        XCTAssertLessThan(problems["/i"]?.count ?? .max, 200)
    }
}
