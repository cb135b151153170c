@testable import TensorJSON
import TestSupport
import XCTest

/// The strict JSON parser: what it accepts, what it refuses and where it says it stopped.
final class JSONParserTests: XCTestCase {
    private func parse(_ text: String) throws(JSONSyntaxError) -> JSONDocument { try JSONParser.parse(Array(text.utf8)) }

    private func offset(_ text: String) -> Int? {
        do { _ = try parse(text); return nil } catch { return error.offset }
    }

    func testValidDocuments() throws {
        guard case .object(let o) = try parse(#" { "a" : [1, -2.5e3, true, false, null, "x\u00e9\n"] } "#).root,
              let items = o["a"]?.items else { return XCTFail() }
        guard case .array(let run) = try parse(" [ 1 , 2,3 ] ").root, run.count == 3, run.isRegular, run.numericLeaves else { return XCTFail("numbers") }
        guard let mixed = try parse("[1, 2, \"NaN\", 4, [5]]").root.items, mixed.count == 5,
              case .number = mixed[1], case .string = mixed[2], case .array(let inner) = mixed[4], inner.count == 1 else { return XCTFail("mixed array") }
        XCTAssertEqual(items.count, 6)
        guard case .string(let s) = items[5] else { return XCTFail() }
        XCTAssertEqual(s, "xé\n")
        guard case .string(let pair) = try parse(#""\ud83d\ude00""#).root else { return XCTFail() }
        XCTAssertEqual(pair, "😀")
    }

    func testNumbersFollowTheGrammar() {
        for bad in ["01", "1.", ".5", "+1", "-", "1e", "1e+", "--1", "0x10", "1.e3", "Infinity", "NaN"] {
            XCTAssertNotNil(offset("[\(bad)]"), bad)
        }
        for good in ["0", "-0", "1.5", "1e5", "1E-5", "-0.0e+0", "123456789012345678901234567890"] {
            XCTAssertNil(offset("[\(good)]"), good)
        }
    }

    func testErrorsSayWhere() {
        XCTAssertEqual(offset(#"{"a": 1} x"#), 9)
        XCTAssertEqual(offset(#"{"a": 1,}"#), 8)
        XCTAssertEqual(offset(#"{"a" 1}"#), 5)
        XCTAssertEqual(offset(""), 0)
        XCTAssertEqual(offset("[1, 2"), 5)
        XCTAssertNotNil(offset("\"a\u{01}\""))
        XCTAssertNotNil(offset(#""\ud83d""#), "unpaired surrogate")
        XCTAssertNotNil(offset("[1] [2]"))
        XCTAssertThrowsError(try JSONParser.parse([0x22, 0xFF, 0x22]), "invalid UTF-8")
    }

    func testDeepNestingIsRefusedWithoutExhaustingTheStack() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        XCTAssertEqual(offset(deep), JSONParseLimits.standard.maxDepth)
        let ok = String(repeating: "[", count: JSONParseLimits.standard.maxDepth) + String(repeating: "]", count: JSONParseLimits.standard.maxDepth)
        XCTAssertNil(offset(ok))
    }
}

/// Long number runs are parsed in parallel chunks: the result must equal the sequential
/// parse, and anything that is not a plain run must fall back with the same errors.
final class ParallelRunTests: XCTestCase {
    private func numbersText(_ n: Int) -> String {
        var rng = SeededRandom(seed: 4)
        return (0..<n).map { k -> String in
            let v = Double.random(in: -1e6...1e6, using: &rng)
            return [String(v), "\(Int(v))", "-0", "1e-7", "0.5E+3"][k % 5]
        }.joined(separator: k8Separator)
    }
    private let k8Separator = " ,\n\t"

    func testLongRunsMatchTheSequentialParse() throws {
        let text = "[" + numbersText(200_000) + "  ]"
        XCTAssertGreaterThan(text.utf8.count, JSONParser.parallelRunBytes)
        let doc = try JSONParser.parse(Array(text.utf8))
        guard case .array(let array) = doc.root, array.isRegular, array.numericLeaves else { return XCTFail("not numbers") }
        XCTAssertEqual(array.count, 200_000)
        let run = array.items.map { value -> JSONNumber in
            guard case .number(let n) = value else { fatalError("not a number") }
            return n
        }
        // The same numbers, parsed one by one inside a short array each.
        var rng = SeededRandom(seed: 9)
        for _ in 0..<2_000 {
            let k = Int.random(in: 0..<run.count, using: &rng)
            let piece = doc.text(of: run[k])
            guard case .array(let one) = try JSONParser.parse(Array("[\(piece)]".utf8)).root else { return XCTFail() }
            XCTAssertEqual(one.count, 1, piece)
        }
        XCTAssertEqual(doc.text(of: run[0]), String(numbersText(1)))
    }

    func testAnythingElseFallsBackWithExactErrors() throws {
        let body = numbersText(150_000)
        for (bad, message) in [(",]", "trailing comma"), (", 01]", "leading zero"), (", \"x\"]", "a string"), (", [1]]", "nested")] {
            let text = "[" + body + bad
            do {
                let doc = try JSONParser.parse(Array(text.utf8))
                // Valid mixed arrays parse sequentially as a plain array.
                guard let items = doc.root.items else { return XCTFail(message) }
                XCTAssertEqual(items.count, 150_001, message)
            } catch {
                XCTAssertGreaterThan(error.offset, body.utf8.count, message)
            }
        }
    }

    /// A reader's limits refuse a body as soon as it passes them, with where: short lists, depth,
    /// number length; tensor data stays unbounded.
    func testLimitsRefuseAsSoonAsPassed() {
        let limits = JSONParseLimits(maxDepth: 16, maxShortItems: 10, longMembers: ["input", "data"])
        func refusal(_ text: String) -> JSONSyntaxError? {
            do { _ = try JSONParser.parse(Array(text.utf8), limits: limits); return nil } catch { return error }
        }
        let list = refusal(#"{"kernelSize": [1,1,1,1,1,1,1,1,1,1,1,1,1]}"#)
        XCTAssertEqual(list?.isLimit, true)
        XCTAssertEqual(list?.pointer.description, "/kernelSize")
        XCTAssertEqual(list?.offset, 37) // just past the 11th value, not the end of the list
        XCTAssertNil(refusal(#"{"kernelSize": [1,1,1,1,1,1,1,1,1,1]}"#))
        XCTAssertEqual(refusal(#"{"input": {"shape": [1,1,1,1,1,1,1,1,1,1,1], "data": []}}"#)?.pointer.description, "/input/shape")
        let long = "[" + Array(repeating: "1", count: 100_000).joined(separator: ",") + "]"
        XCTAssertNil(refusal(#"{"input": {"shape": [100000], "data": \#(long)}}"#))
        XCTAssertNil(refusal(#"{"input": [\#(long), \#(long)]}"#))
        XCTAssertEqual(refusal(#"{"input": \#(String(repeating: "[", count: 17))1\#(String(repeating: "]", count: 17))}"#)?.isLimit, true)
        let digits = refusal(#"{"p": 1\#(String(repeating: "0", count: 2000))}"#)
        XCTAssertEqual(digits?.isLimit, true)
        XCTAssertEqual(digits?.offset, 6)
        // Long numbers inside a long run are refused too (the parallel path defers to the sequential one).
        let bigRun = "[" + Array(repeating: "1.5", count: 400_000).joined(separator: ",") + ",1" + String(repeating: "0", count: 2000) + "]"
        XCTAssertEqual(refusal(#"{"data": \#(bigRun)}"#)?.isLimit, true)
        // Syntax errors stay syntax errors.
        XCTAssertEqual(refusal(#"{"kernelSize": [1,,2]}"#)?.isLimit, false)
    }
}
