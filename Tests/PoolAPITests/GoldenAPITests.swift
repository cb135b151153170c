import APITestSupport
import PoolAPI
import PoolCore
import TensorJSON
import TestSupport
import XCTest

/// Every golden case through the API handlers in process, in all three encodings.
final class GoldenAPITests: XCTestCase {
    let api = ServiceCaller()

    func testEveryGoldenCaseInEveryEncoding() {
        for c in Golden.cases {
            for encoding in TensorEncoding.allCases {
                let f = api.post("/pool/forward", GoldenRequests.forward(c, encoding: encoding))
                XCTAssertNil(GoldenRequests.checkForward(c, status: f.status, body: f.body, encoding: encoding), "\(c.name) forward \(encoding)")
                let b = api.post("/pool/backward", GoldenRequests.backward(c, encoding: encoding))
                XCTAssertNil(GoldenRequests.checkBackward(c, status: b.status, body: b.body, encoding: encoding), "\(c.name) backward \(encoding)")
                if c.params.mode == "max" {
                    let i = api.post("/pool/backward", GoldenRequests.backward(c, encoding: encoding, fromIndices: true))
                    XCTAssertNil(GoldenRequests.checkBackward(c, status: i.status, body: i.body, encoding: encoding), "\(c.name) backward from indices \(encoding)")
                }
            }
        }
    }
}
