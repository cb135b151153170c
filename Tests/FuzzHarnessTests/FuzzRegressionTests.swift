import Foundation
import FuzzHarness
import XCTest

/// The fuzz seed corpus and every saved regression through every front end, as the fuzzer sends
/// them: each must get a 2xx or a 4xx in its route's error format, never a 5xx or a crash.
final class FuzzRegressionTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    private func replay(_ folder: String) throws -> Int {
        let harness = FuzzHarness()
        let dir = Self.fixtures.appendingPathComponent(folder)
        var count = 0
        for file in try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil) where file.pathExtension != "md" {
            XCTAssertNil(harness.finding(Array(try Data(contentsOf: file))), file.lastPathComponent)
            count += 1
        }
        return count
    }

    func testTheSeedCorpusGetsNoServerError() throws {
        XCTAssertGreaterThanOrEqual(try replay("fuzz-corpus"), 26)
    }

    /// The regressions are there to be replayed: an emptied folder fails.
    func testEveryRegressionGetsNoServerError() throws {
        XCTAssertGreaterThanOrEqual(try replay("fuzz-regressions"), 10)
    }
}
