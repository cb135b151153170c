import Foundation
import Pooling
import PoolAPI
import PoolCore
import TensorJSON
import XCTest

/// The request models through Foundation's `JSONEncoder` and back through the service's own
/// document decoder: what a Swift client writes is what the server reads.
final class ModelDecodingTests: XCTestCase {
    private func roundTrip<T: Codable & Equatable>(_ value: T, file: StaticString = #filePath, line: UInt = #line) {
        let bytes = Array(try! JSONEncoder().encode(value))
        let (back, problems) = JSONDocumentDecoder().decode(T.self, from: try! JSONParser.parse(bytes))
        XCTAssertTrue(problems.isEmpty, "\(problems.problems)", file: file, line: line)
        XCTAssertEqual(back, value, file: file, line: line)
    }

    func testEveryParameterRoundTrips() {
        var p = PoolParameters()
        p.mode = .avg
        p.layout = .channelsLast
        p.kernelSize = .list([3, 2])
        p.stride = .int(2)
        p.padding = .explicit(begin: [0, 1], end: [1, 0])
        p.dilation = .list([1, 1])
        p.ceilMode = true
        p.countIncludePad = false
        p.divisorOverride = 5
        p.dtype = .float64
        var encoded = ForwardRequest(parameters: p, input: .nested([1, 2, 3, 4], shape: [1, 1, 2, 2]))
        encoded.encoding = .b64
        roundTrip(encoded)
        var q = PoolParameters()
        q.mode = .max
        q.outputSize = .int(2)
        q.ties = .split
        q.nan = .ignore
        q.indexSpace = .tensor
        q.padding = .named(.sameLower)
        q.p = 1.5
        q.global = false
        roundTrip(ForwardRequest(parameters: q, input: .flat([1, .nan, -.infinity, 0], shape: [1, 1, 4]), returnParts: [.mask, .output]))
        roundTrip(BackwardRequest(parameters: q, gradOutput: .b64([Float(1), 2], shape: [1, 1, 2]),
                                  indices: .b64([Int64(0), 3], shape: [1, 1, 2]), inputShape: [1, 1, 4]))
        roundTrip(BackwardRequest(gradOutput: .flat([1, 2], shape: [1, 1, 2]), input: .nested([1, 2, 3, 4], shape: [1, 1, 4])))
    }

    func testParameterProblemsNameTheirFields() {
        let text = #"{"kernelSize": [2, 0, "x"], "padding": {"begin": [1, -1], "end": "x"}, "return": ["output", "output", "cats"], "p": 0, "divisorOverride": 1.5}"#
        let (model, problems) = JSONDocumentDecoder().decode(ForwardRequest.self, from: try! JSONParser.parse(Array(text.utf8)))
        XCTAssertNotNil(model)
        XCTAssertEqual(Set(problems.problems.map(\.pointer)),
                       ["/kernelSize/1", "/kernelSize/2", "/padding/begin/1", "/padding/end", "/return/1", "/return/2", "/p", "/divisorOverride"])
        XCTAssertNil(model?.parameters.kernelSize)
        XCTAssertNil(model?.input)
    }
}
