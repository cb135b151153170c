import MicroHTTP
import XCTest

final class RequestIDTests: XCTestCase {
    func testSafeIDsAreKeptOthersReplaced() {
        XCTAssertEqual(RequestID.make(from: "abc-123_x.y:z"), "abc-123_x.y:z")
        for unsafe in ["", "has space", "crlf\r\nX-Evil: 1", String(repeating: "a", count: 129), "ünïcode"] {
            let id = RequestID.make(from: unsafe)
            XCTAssertNotEqual(id, unsafe)
            XCTAssertEqual(id.count, 16)
            XCTAssertTrue(RequestID.isSafe(id))
        }
        XCTAssertNotEqual(RequestID.make(from: nil), RequestID.make(from: nil))
    }
}
