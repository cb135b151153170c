import APITestSupport
import PoolAPI
import PoolCore
import TensorJSON
import TestSupport
import XCTest

/// `lpAbs: false` (PyTorch's `lp_pool`) through the handlers, in every encoding, and its rules.
final class SignedLpAPITests: XCTestCase {
    let api = ServiceCaller()

    func testPyTorchLpCasesInEveryEncoding() {
        let cases = Golden.extendedCases.filter { $0.params.lpAbs == false }
        XCTAssertEqual(cases.count, 69)
        for c in cases {
            for encoding in TensorEncoding.allCases {
                let f = api.post("/pool/forward", GoldenRequests.forward(c, encoding: encoding))
                XCTAssertNil(GoldenRequests.checkForward(c, status: f.status, body: f.body, encoding: encoding), "\(c.name) forward \(encoding)")
                let b = api.post("/pool/backward", GoldenRequests.backward(c, encoding: encoding))
                XCTAssertNil(GoldenRequests.checkBackward(c, status: b.status, body: b.body, encoding: encoding), "\(c.name) backward \(encoding)")
            }
        }
    }

    func testLpAbsIsForLpOnlyAndABoolean() {
        let wrongMode = api.post("/pool/forward", #"{"mode": "max", "lpAbs": false, "kernelSize": 2, "input": [[[1, 2]]]}"#)
        XCTAssertEqual(wrongMode.status, 422)
        XCTAssertEqual(ServiceCaller.problem(wrongMode)?.errors?.first?.pointer, "/lpAbs")
        let notBool = api.post("/pool/forward", #"{"mode": "lp", "lpAbs": "no", "kernelSize": 2, "input": [[[1, 2]]]}"#)
        XCTAssertEqual(notBool.status, 422)
        XCTAssertEqual(ServiceCaller.problem(notBool)?.errors?.first?.pointer, "/lpAbs")
        let sum = api.post("/pool/forward", #"{"mode": "lp", "p": 1, "lpAbs": false, "kernelSize": 2, "input": [[[-3, 1]]]}"#)
        XCTAssertEqual(String(decoding: sum.body, as: UTF8.self), #"{"output":[[[-2]]],"outputShape":[1,1,1]}"#)
    }
}
