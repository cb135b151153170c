import APITestSupport
import PoolAPI
import PoolCore
import TensorJSON
import TestSupport
import XCTest

/// The service over real HTTP: the README's example and every golden case.
final class HTTPGoldenTests: XCTestCase {
    func testTheReadmeExample() throws {
        let s = try TestServer()
        let forward = try HTTPClient.send(port: s.port, path: "/pool/forward",
            body: Array(#"{"input": [[[[1,2,3,4],[5,6,7,8],[9,10,11,12],[13,14,15,16]]]], "kernelSize": 2}"#.utf8))
        XCTAssertEqual(forward.status, 200)
        XCTAssertEqual(forward.headers["content-type"], "application/json")
        XCTAssertEqual(forward.text, #"{"output":[[[[6,8],[14,16]]]],"indices":[[[[5,7],[13,15]]]],"mask":[[[[0,0,0,0],[0,1,0,1],[0,0,0,0],[0,1,0,1]]]],"outputShape":[1,1,2,2]}"#)
        let backward = try HTTPClient.send(port: s.port, path: "/pool/backward",
            body: Array(#"{"input": [[[[1,2,3,4],[5,6,7,8],[9,10,11,12],[13,14,15,16]]]], "kernelSize": 2, "gradOutput": [[[[1,2],[3,4]]]]}"#.utf8))
        XCTAssertEqual(backward.text, #"{"gradInput":[[[[0,0,0,0],[0,1,0,2],[0,0,0,0],[0,3,0,4]]]]}"#)
    }

    /// Every golden case (max, avg, lp; PyTorch and TensorFlow) forward and backward, the
    /// encoding rotating from case to case.
    func testEveryGoldenCaseOverHTTP() throws {
        let s = try TestServer()
        for (k, c) in Golden.cases.enumerated() {
            let encoding = TensorEncoding.allCases[k % 3]
            let f = try HTTPClient.send(port: s.port, path: "/pool/forward", body: GoldenRequests.forward(c, encoding: encoding))
            XCTAssertNil(GoldenRequests.checkForward(c, status: f.status, body: f.body, encoding: encoding), "\(c.name) forward")
            let b = try HTTPClient.send(port: s.port, path: "/pool/backward", body: GoldenRequests.backward(c, encoding: encoding))
            XCTAssertNil(GoldenRequests.checkBackward(c, status: b.status, body: b.body, encoding: encoding), "\(c.name) backward")
            if c.params.mode == "max" {
                let i = try HTTPClient.send(port: s.port, path: "/pool/backward", body: GoldenRequests.backward(c, encoding: encoding, fromIndices: true))
                XCTAssertNil(GoldenRequests.checkBackward(c, status: i.status, body: i.body, encoding: encoding), "\(c.name) backward from indices")
            }
        }
    }
}
