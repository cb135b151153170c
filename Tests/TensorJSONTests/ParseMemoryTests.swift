import CHeapStats
import TensorJSON
import XCTest

/// Parsing holds no memory per element, whatever the data looks like: arrays are checked and
/// measured, and their text is converted straight into the tensor.
final class ParseMemoryTests: XCTestCase {
    private func heapBytes() -> Int { heap_stats_in_use() }

    /// The heap the parsed document holds beyond its text, for a body of `text`.
    private func heldByParse(_ text: String, limits: JSONParseLimits = .standard) throws -> Int {
        let body = Array(text.utf8)
        let before = heapBytes()
        let document = try JSONParser.parse(body, limits: limits)
        let held = heapBytes() - before
        withExtendedLifetime(document) {}
        return held
    }

    func testNoLayoutCostsMemoryPerElement() throws {
        let n = 2_000_000
        func list(_ item: String, _ count: Int) -> String { Array(repeating: item, count: count).joined(separator: ",") }
        let layouts: [(String, String)] = [
            ("flat zeros", "{\"data\":[" + list("0", n) + "]}"),
            ("rows of one", "{\"input\":[" + list("[0]", n / 2) + "]}"),
            ("rows of two", "[[" + list("[0,0]", n / 2) + "]]"),
            ("non-finite strings", "[" + list("\"NaN\"", n / 2) + "]"),
            ("empty objects", "[" + list("{}", n / 2) + "]"),
            ("nulls", "[" + list("null", n / 2) + "]"),
        ]
        for (name, text) in layouts {
            let held = try heldByParse(text)
            XCTAssertLessThan(held, 64 << 10, "\(name): \(held) bytes held for \(text.utf8.count) bytes of text")
        }
    }

    /// Object members are kept as they are parsed, so their number is bounded.
    func testAnObjectWithTooManyMembersIsRefusedAsALimit() {
        let members = (0...JSONParseLimits.standard.maxMembers).map { "\"m\($0)\":0" }.joined(separator: ",")
        XCTAssertThrowsError(try JSONParser.parse(Array(("{" + members + "}").utf8))) { error in
            XCTAssertEqual((error as? JSONSyntaxError)?.isLimit, true, "\(error)")
        }
        let fewer = (1...JSONParseLimits.standard.maxMembers).map { "\"m\($0)\":0" }.joined(separator: ",")
        XCTAssertNoThrow(try JSONParser.parse(Array(("{" + fewer + "}").utf8)))
    }

    func testAnArrayKnowsItsCountAndShapeWithoutItsItems() throws {
        func array(_ text: String) throws -> JSONArray {
            guard case .array(let a) = try JSONParser.parse(Array(text.utf8)).root else { throw XCTSkip("not an array") }
            return a
        }
        let regular = try array("[[[1, 2, 3], [4, 5, 6]]]")
        XCTAssertEqual(regular.count, 1)
        XCTAssertEqual(regular.firstShape, [1, 2, 3])
        XCTAssertTrue(regular.isRegular && regular.numericLeaves)
        let ragged = try array("[[1, 2], [3]]")
        XCTAssertEqual(ragged.firstShape, [2, 2])
        XCTAssertFalse(ragged.isRegular)
        let mixedDepth = try array("[1, [2]]")
        XCTAssertEqual(mixedDepth.firstShape, [2])
        XCTAssertFalse(mixedDepth.isRegular)
        let strings = try array(#"[["NaN", 1]]"#)
        XCTAssertTrue(strings.isRegular)
        XCTAssertFalse(strings.numericLeaves)
        let empty = try array("[[], []]")
        XCTAssertEqual(empty.firstShape, [2, 0])
        XCTAssertEqual(try array("[]").count, 0)
    }

    /// A long regular tensor converts on all cores to the same values as one element at a time.
    func testLongTensorsReadTheSameAsShortOnes() throws {
        let rows = (0..<3000).map { r in "[" + (0..<200).map { c in String(Float(r * 200 + c) / 7) }.joined(separator: ",") + "]" }
        let nested = try TensorCodec.readFloat32(Array(("[" + rows.joined(separator: ", ") + "]").utf8))
        XCTAssertEqual(nested.shape, [3000, 200])
        for k in stride(from: 0, to: 600_000, by: 997) { XCTAssertEqual(nested.values[k], Float(k) / 7, "element \(k)") }
        let flatText = "{\"shape\":[600000],\"data\":[" + (0..<600_000).map { String(Float($0) / 7) }.joined(separator: ",") + "]}"
        XCTAssertEqual(try TensorCodec.readFloat32(Array(flatText.utf8)).values, nested.values)
    }

    /// In a regular array the conversion finds each number's end itself: exponents, signs and long
    /// fractions right before a separator read as they do alone.
    func testNumbersEndAtTheirSeparator() throws {
        let texts = ["1e5", "-2.5E-3", "0.000001", "12345678.9", "3.14159265358979", "-0", "7E+2", "0.1234567890123"]
        let nested = try TensorCodec.readFloat32(Array(("[[" + texts.joined(separator: ",") + "],[" + texts.reversed().joined(separator: " , ") + "]]").utf8))
        let expected = texts.map { Float($0)! }
        XCTAssertEqual(nested.values.map(\.bitPattern), (expected + expected.reversed()).map(\.bitPattern))
        let doubles = try TensorCodec.read(Array(("[" + texts.joined(separator: ",") + "]").utf8), as: Double.self)
        XCTAssertEqual(doubles.values, texts.map { Double($0)! })
    }

    /// Where the text is not a regular array of numbers, each wrong element is still named.
    func testIrregularDataIsWalkedWithPointers() throws {
        var problems = ProblemList()
        let text = #"{"t":[[1, "x", 3], [4, 5], [6, {}, 1e999]]}"#
        let document = try JSONParser.parse(Array(text.utf8))
        guard case .object(let o) = document.root, let t = o["t"] else { return XCTFail() }
        _ = TensorCodec.read(t, in: document, at: JSONPointer.root / "t", maxElements: 100, as: Float.self, problems: &problems)
        let described = problems.problems.map { "\($0.pointer) \($0.detail)" }
        XCTAssertEqual(described.count, 4, "\(described)")
        XCTAssertTrue(described[0].hasPrefix("/t/0/1 must be a number or"), described[0])
        XCTAssertTrue(described[1].hasPrefix("/t/1 ragged tensor: expected 3 elements at depth 1, got 2"), described[1])
        XCTAssertTrue(described[2].hasPrefix("/t/2/1 must be a number, got an object"), described[2])
        XCTAssertTrue(described[3].hasPrefix("/t/2/2 1e999 is beyond the range of float32"), described[3])
    }
}
