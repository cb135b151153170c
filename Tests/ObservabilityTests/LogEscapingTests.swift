import Foundation
@testable import Observability
import XCTest

/// Whatever a client sends reaches a log line as one value: no control character, no way to
/// start a new line or a new field, cut when long.
final class LogEscapingTests: XCTestCase {
    func testTextEscapesControlsAndQuotesValuesThatCouldPassForSeveralFields() {
        XCTAssertEqual(LogEscaping.text("/pool/forward"), "/pool/forward")
        XCTAssertEqual(LogEscaping.text(""), "\"\"")
        XCTAssertEqual(LogEscaping.text("a b"), "\"a b\"")
        XCTAssertEqual(LogEscaping.text("x=1"), "\"x=1\"")
        XCTAssertEqual(LogEscaping.text("say \"hi\""), "\"say \\\"hi\\\"\"")
        XCTAssertEqual(LogEscaping.text("a\nlevel=error"), "\"a\\nlevel=error\"")
        XCTAssertEqual(LogEscaping.text("a\\nb"), "a\\\\nb", "a backslash is escaped, so a literal \\n is not a newline")
        XCTAssertEqual(LogEscaping.text("\u{1B}[31mred"), "\\u{1B}[31mred")
        XCTAssertEqual(LogEscaping.text("\u{7F}\u{85}\u{2028}\u{2029}"), "\\u{7F}\\u{85}\\u{2028}\\u{2029}")
        XCTAssertEqual(LogEscaping.text("tab\there\r"), "tab\\there\\r")
    }

    func testEveryEscapedValueIsOneLineWithoutControls() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let scalars = (0..<40).map { _ in Unicode.Scalar(UInt8.random(in: 0...0xFF, using: &generator)) }
            let value = String(String.UnicodeScalarView(scalars + ["\u{2028}"]))
            for escaped in [LogEscaping.text(value), LogEscaping.json(value)] {
                XCTAssertFalse(escaped.unicodeScalars.contains { LogEscaping.isControl($0) }, escaped)
            }
        }
    }

    func testJSONValuesParseBackToTheCutValue() throws {
        let value = "line\none\u{0}\u{1B}\"\\\u{2028}é"
        let parsed = try JSONSerialization.jsonObject(with: Data(("[" + LogEscaping.json(value) + "]").utf8)) as? [String]
        XCTAssertEqual(parsed, [value])
    }

    func testLongValuesAreCutWithTheCountLeftOut() {
        let long = String(repeating: "a", count: LogEscaping.limit + 44)
        let cut = LogEscaping.cut(long)
        XCTAssertTrue(cut.hasSuffix("…(+44)"), cut)
        XCTAssertEqual(cut.count, LogEscaping.limit + "…(+44)".count)
        XCTAssertEqual(LogEscaping.cut("short"), "short")
        XCTAssertTrue(LogEscaping.json(long).hasSuffix("…(+44)\""))
    }
}
