import APITestSupport
import Foundation
import PoolAPI
import PoolCore
import TensorJSON
import TestSupport
import XCTest

/// The contract's error table over real HTTP, and hostile input that must leave the server up.
final class HTTPErrorTests: XCTestCase {
    private func problem(_ r: RawResponse) -> ProblemDocument? {
        try? JSONDecoder().decode(ProblemDocument.self, from: Data(r.body))
    }

    func testErrorTable() throws {
        let s = try TestServer(limits: Limits(maxElements: 1000), maxBodyBytes: 100_000)
        let bad = try HTTPClient.send(port: s.port, path: "/pool/forward", body: Array("{\"input\": [1,,2]}".utf8))
        XCTAssertEqual(bad.status, 400)
        XCTAssertEqual(problem(bad)?.offset, 13)
        XCTAssertEqual(try HTTPClient.send(port: s.port, path: "/pool/nothing").status, 404)
        let wrongMethod = try HTTPClient.send(port: s.port, method: "GET", path: "/pool/forward")
        XCTAssertEqual(wrongMethod.status, 405)
        XCTAssertEqual(wrongMethod.headers["allow"], "POST")
        let big = try HTTPClient.send(port: s.port, path: "/pool/forward", body: [UInt8](repeating: 32, count: 200_000))
        XCTAssertEqual(big.status, 413)
        XCTAssertEqual(big.headers["content-type"], "application/problem+json")
        let elements = try HTTPClient.send(port: s.port, path: "/pool/forward",
                                           body: Array(#"{"input": {"shape": [1, 1, 2000], "data": []}, "kernelSize": 1}"#.utf8))
        XCTAssertEqual(elements.status, 413)
        XCTAssertEqual(try HTTPClient.send(port: s.port, path: "/pool/forward", body: Array("{}".utf8), headers: [("Content-Type", "text/csv")]).status, 415)
        let invalid = try HTTPClient.send(port: s.port, path: "/pool/forward", body: Array(#"{"input": [[[1]]], "kernelSize": 0, "stride": "x"}"#.utf8))
        XCTAssertEqual(invalid.status, 422)
        XCTAssertEqual(problem(invalid)?.errors?.map(\.pointer).sorted(), ["/kernelSize", "/stride"])
        XCTAssertEqual(problem(invalid)?.detail, "2 problems")
    }

    /// Hostile bodies: every one gets a 4xx, and the server answers normally afterwards.
    func testHostileInputLeavesTheServerUp() throws {
        let s = try TestServer()
        var rng = SeededRandom(seed: 5)
        var bodies: [[UInt8]] = [
            Array((String(repeating: "[", count: 200_000)).utf8),
            Array(("{\"input\":" + String(repeating: "[", count: 60) + "1" + String(repeating: "]", count: 60) + ",\"kernelSize\":1}").utf8),
            Array(#"{"input": {"shape": [9223372036854775807, 9223372036854775807], "data": []}, "kernelSize": 1}"#.utf8),
            Array(#"{"input": {"shape": [1, 1, 4], "dtype": "float64", "b64": "////////////////////////////////////////////"}, "kernelSize": 1}"#.utf8),
            Array(#"{"input": [[[1e999999999999]]], "kernelSize": 1}"#.utf8),
            Array(#"{"input": [[[1]]], "kernelSize": 2147483647, "padding": 2147483647}"#.utf8),
            Array(#"{"input": [[[1]]], "kernelSize": 1, "padding": 2147483647, "stride": 1}"#.utf8),
            Array(#"{"input": [[[1,2,3]]], "outputSize": 2147483647}"#.utf8),
            Array(#"{"input": [[[1]]], "kernelSize": 1}garbage"#.utf8),
            [0xEF, 0xBB, 0xBF] + Array("{}".utf8),
            Array("{\"input\": \"\u{0}\"}".utf8),
        ]
        for _ in 0..<20 { bodies.append((0..<Int.random(in: 1...300, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }) }
        for body in bodies {
            for path in ["/pool/forward", "/pool/backward"] {
                let r = try HTTPClient.send(port: s.port, path: path, body: body)
                XCTAssertTrue((400..<500).contains(r.status), "\(r.status) for \(String(decoding: body.prefix(80), as: UTF8.self))")
                XCTAssertNotNil(problem(r), "problem+json body")
            }
        }
        XCTAssertEqual(try HTTPClient.send(port: s.port, method: "GET", path: "/healthz").status, 200)
    }
}
