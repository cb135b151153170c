import APITestSupport
import Foundation
import XCTest

/// The fuzz seed corpus and every saved fuzz finding through both endpoints: each must get
/// 200 or a 4xx problem document, never a 5xx or a crash.
final class FuzzRegressionTests: XCTestCase {
    func testSeedsAndFindingsGetNoServerError() throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")
        let api = ServiceCaller()
        var count = 0
        for folder in ["fuzz-corpus", "fuzz-regressions"] {
            let dir = fixtures.appendingPathComponent(folder)
            for file in try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil) where file.pathExtension != "md" {
                let body = Array(try Data(contentsOf: file))
                for path in ["/pool/forward", "/pool/backward"] {
                    let r = api.post(path, body)
                    XCTAssertTrue(r.status == 200 || (400..<500).contains(r.status), "\(file.lastPathComponent) \(path): \(r.status)")
                }
                count += 1
            }
        }
        XCTAssertGreaterThanOrEqual(count, 17)
    }
}
