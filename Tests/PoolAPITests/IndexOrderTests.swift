import APITestSupport
import Foundation
import PoolAPI
import PoolCore
import TensorJSON
import TestSupport
import XCTest

/// `indexOrder: "column_major"` (ONNX `storage_order` 1): ONNX's own cases through the handlers
/// in every encoding, forward and backward from the indices; and a round trip on every layout
/// and index space.
final class IndexOrderTests: XCTestCase {
    let api = ServiceCaller()

    func testONNXColumnMajorCases() {
        let cases = Golden.extendedCases.filter { $0.params.indexOrder == "column_major" }
        XCTAssertEqual(cases.count, 4)
        for c in cases {
            for encoding in TensorEncoding.allCases {
                let f = api.post("/pool/forward", GoldenRequests.forward(c, encoding: encoding))
                XCTAssertNil(GoldenRequests.checkForward(c, status: f.status, body: f.body, encoding: encoding), "\(c.name) forward \(encoding)")
                let i = api.post("/pool/backward", GoldenRequests.backward(c, encoding: encoding, fromIndices: true))
                XCTAssertNil(GoldenRequests.checkBackward(c, status: i.status, body: i.body, encoding: encoding), "\(c.name) backward from indices \(encoding)")
            }
        }
    }

    func testColumnMajorIndicesNameTheSameCellsBothWays() throws {
        let values: [String] = (0..<120).map { (k: Int) -> String in String((k * 37) % 23) }
        let data = "[" + values.joined(separator: ",") + "]"
        for layout in ["channels_first", "channels_last"] {
            for space in ["plane", "tensor"] {
                let shape = layout == "channels_first" ? [2, 3, 4, 5] : [2, 4, 5, 3]
                let input = "{\"shape\": \(shape), \"data\": \(data)}"
                func forward(_ order: String) throws -> ForwardResponse {
                    let body = #"{"kernelSize": 2, "stride": 1, "layout": "\#(layout)", "indexSpace": "\#(space)", "indexOrder": "\#(order)", "input": \#(input)}"#
                    let r = api.post("/pool/forward", body)
                    XCTAssertEqual(r.status, 200, String(decoding: r.body, as: UTF8.self))
                    return try JSONDecoder().decode(ForwardResponse.self, from: Data(r.body))
                }
                let row = try forward("row_major"), column = try forward("column_major")
                XCTAssertEqual(row.output, column.output)
                XCTAssertNotEqual(row.indices?.values, column.indices?.values, "\(layout) \(space): the orders should differ on a 4×5 plane")
                // The column-major indices lead the backward to the same cells.
                let ones = [String](repeating: "1", count: row.outputShape.reduce(1, *)).joined(separator: ",")
                let grad = "{\"shape\": \(row.outputShape), \"data\": [\(ones)]}"
                func backward(_ order: String, _ indices: TensorPayload) -> [Double] {
                    let text = String(decoding: try! JSONEncoder().encode(indices), as: UTF8.self)
                    let body = #"{"kernelSize": 2, "stride": 1, "layout": "\#(layout)", "indexSpace": "\#(space)", "indexOrder": "\#(order)", "inputShape": \#(shape), "indices": \#(text), "gradOutput": \#(grad)}"#
                    let r = api.post("/pool/backward", body)
                    XCTAssertEqual(r.status, 200, String(decoding: r.body, as: UTF8.self))
                    return (try? JSONDecoder().decode(BackwardResponse.self, from: Data(r.body)))?.gradInput.values ?? []
                }
                XCTAssertEqual(backward("row_major", row.indices!), backward("column_major", column.indices!), "\(layout) \(space)")
            }
        }
    }
}
