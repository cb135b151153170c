import APITestSupport
import Foundation
import MicroHTTP
import PoolAPI
import PoolCore
import TensorJSON
import TestSupport
import XCTest

/// Fractional max pooling through the handlers: every golden case of PyTorch and TensorFlow in
/// every tensor form, both backwards; samples drawn from a seed, returned and replayed; and each
/// rule of the contract a 422 naming its field.
final class FractionalAPITests: XCTestCase {
    let api = ServiceCaller()

    func testGoldenCasesInEveryEncoding() {
        let cases = Golden.extendedCases.filter { $0.params.fractional != nil }
        XCTAssertEqual(cases.count, 62)
        for c in cases {
            for encoding in TensorEncoding.allCases {
                let f = api.post("/pool/forward", GoldenRequests.forward(c, encoding: encoding))
                XCTAssertNil(GoldenRequests.checkForward(c, status: f.status, body: f.body, encoding: encoding), "\(c.name) forward \(encoding)")
                let b = api.post("/pool/backward", GoldenRequests.backward(c, encoding: encoding))
                XCTAssertNil(GoldenRequests.checkBackward(c, status: b.status, body: b.body, encoding: encoding), "\(c.name) backward \(encoding)")
                let i = api.post("/pool/backward", GoldenRequests.backward(c, encoding: encoding, fromIndices: true))
                XCTAssertNil(GoldenRequests.checkBackward(c, status: i.status, body: i.body, encoding: encoding), "\(c.name) backward from indices \(encoding)")
            }
        }
    }

    private func json(_ r: Response) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(r.body))) as? [String: Any] ?? [:]
    }

    private static let input = "{\"shape\": [2, 3, 9, 11], \"data\": [\((0..<594).map { String(($0 * 7919) % 101) }.joined(separator: ","))]}"

    func testASeedDrawsSamplesThatTheAnswerReturnsAndThatReplayTheCall() throws {
        let seeded = api.post("/pool/forward", #"{"kernelSize": 2, "fractional": {"outputSize": [4, 5], "seed": 7}, "input": \#(Self.input)}"#)
        XCTAssertEqual(seeded.status, 200, String(decoding: seeded.body, as: UTF8.self))
        let body = json(seeded)
        let samples = try XCTUnwrap(body["samples"] as? [String: Any])
        XCTAssertEqual(samples["shape"] as? [Int], [2, 3, 2])
        let values = try XCTUnwrap(samples["data"] as? [Double])
        // SplitMix64 from seed 7, top 24 bits over 2^24: the documented generator (written as
        // the float32 it is for a float32 request: shortest digits that read back to it).
        XCTAssertEqual(values.first.map { Float($0) }, Float(6_540_257) / 16_777_216)
        XCTAssertTrue(values.allSatisfy { $0 >= 0 && $0 < 1 })
        // The same seed again, and the returned samples given back, give the same answer.
        XCTAssertEqual(api.post("/pool/forward", #"{"kernelSize": 2, "fractional": {"outputSize": [4, 5], "seed": 7}, "input": \#(Self.input)}"#).body, seeded.body)
        let samplesText = "{\"shape\": [2, 3, 2], \"data\": [\(values.map { String($0) }.joined(separator: ","))]}"
        let replay = json(api.post("/pool/forward", #"{"kernelSize": 2, "fractional": {"outputSize": [4, 5], "samples": \#(samplesText)}, "input": \#(Self.input)}"#))
        XCTAssertEqual(replay["output"] as? [String: AnyHashable], body["output"] as? [String: AnyHashable])
        XCTAssertEqual(replay["indices"] as? [String: AnyHashable], body["indices"] as? [String: AnyHashable])
        XCTAssertNil(replay["samples"], "samples given are not sent back")
        // A backward from the seed routes the gradient as the one from the samples does.
        let grad = "{\"shape\": [2, 3, 4, 5], \"data\": [\((0..<120).map { String($0 % 13) }.joined(separator: ","))]}"
        let a = api.post("/pool/backward", #"{"kernelSize": 2, "fractional": {"outputSize": [4, 5], "seed": 7}, "input": \#(Self.input), "gradOutput": \#(grad)}"#)
        let b = api.post("/pool/backward", #"{"kernelSize": 2, "fractional": {"outputSize": [4, 5], "samples": \#(samplesText)}, "input": \#(Self.input), "gradOutput": \#(grad)}"#)
        XCTAssertEqual(a.status, 200)
        XCTAssertEqual(a.body, b.body)
        // Another seed draws other windows somewhere.
        XCTAssertNotEqual(api.post("/pool/forward", #"{"kernelSize": 2, "fractional": {"outputSize": [4, 5], "seed": 8}, "input": \#(Self.input)}"#).body, seeded.body)
    }

    func testWithoutSeedOrSamplesTheServiceDrawsAndReturnsThem() {
        let r = json(api.post("/pool/forward", #"{"kernelSize": 2, "fractional": {"outputRatio": 0.5}, "input": \#(Self.input)}"#))
        XCTAssertEqual(r["outputShape"] as? [Int], [2, 3, 4, 5])
        XCTAssertEqual((r["samples"] as? [String: Any])?["shape"] as? [Int], [2, 3, 2])
    }

    /// Each plane builds its own windows from its samples: that counts against --max-work
    /// before any sample is drawn.
    func testPlanesCountAgainstTheWorkLimit() {
        let small = ServiceCaller(PoolService(limits: Limits(maxElements: 1 << 20, maxWork: 50_000)))
        let r = small.post("/pool/backward", #"{"kernelSize": 1, "fractional": {"outputSize": 1, "seed": 3}, "inputShape": [1, 100, 1], "indices": {"shape": [1, 100, 1], "b64": "\#(String(repeating: "A", count: 1068))", "dtype": "int64"}, "gradOutput": {"shape": [1, 100, 1], "data": [\#([String](repeating: "1", count: 100).joined(separator: ","))]}}"#)
        XCTAssertEqual(r.status, 413, String(decoding: r.body, as: UTF8.self))
        XCTAssertTrue(String(decoding: r.body, as: UTF8.self).contains("--max-work"))
    }

    /// Each rule of the contract, a 422 naming the field.
    func testEveryRuleIsA422NamingItsField() {
        let x = "[[[1, 5, 2, 8, 3, 9, 4]]]"
        let cases: [(String, String)] = [
            (#"{"kernelSize": 2, "fractional": {"outputSize": 3, "samples": {"shape": [1, 1, 1], "data": [1.0]}}, "input": \#(x)}"#, "/fractional/samples"),
            (#"{"kernelSize": 2, "fractional": {"outputSize": 3, "samples": {"shape": [1, 1, 1], "data": [-0.1]}}, "input": \#(x)}"#, "/fractional/samples"),
            (#"{"kernelSize": 2, "fractional": {"outputSize": 3, "samples": {"shape": [1, 2, 1], "data": [0.1, 0.2]}}, "input": \#(x)}"#, "/fractional/samples"),
            (#"{"kernelSize": 2, "fractional": {"outputSize": 7}, "input": \#(x)}"#, "/fractional/outputSize"),
            (#"{"kernelSize": 2, "fractional": {"outputRatio": 1.5}, "input": \#(x)}"#, "/fractional/outputRatio"),
            (#"{"kernelSize": 2, "fractional": {"outputSize": 3, "outputRatio": 0.5}, "input": \#(x)}"#, "/fractional/outputRatio"),
            (#"{"fractional": {"outputSize": 3}, "input": \#(x)}"#, "/kernelSize"),
            (#"{"kernelSize": 8, "fractional": {"outputSize": 1}, "input": \#(x)}"#, "/kernelSize"),
            (#"{"fractional": {"boundaries": [[0, 3, 3, 7]]}, "input": \#(x)}"#, "/fractional/boundaries/0"),
            (#"{"fractional": {"boundaries": [[1, 3, 7]]}, "input": \#(x)}"#, "/fractional/boundaries/0"),
            (#"{"fractional": {"boundaries": [[0, 3, 6]]}, "input": \#(x)}"#, "/fractional/boundaries/0"),
            (#"{"fractional": {"boundaries": [[0, 3, 7], [0, 1]]}, "input": \#(x)}"#, "/fractional/boundaries"),
            (#"{"kernelSize": 2, "fractional": {"boundaries": [[0, 3, 7]]}, "input": \#(x)}"#, "/kernelSize"),
            (#"{"fractional": {"boundaries": [[0, 3, 7]], "seed": 1}, "input": \#(x)}"#, "/fractional/seed"),
            (#"{"kernelSize": 2, "fractional": {"outputSize": 3, "overlapping": true}, "input": \#(x)}"#, "/fractional/overlapping"),
            (#"{"kernelSize": 2, "fractional": {"outputSize": 3, "shuffle": true}, "input": \#(x)}"#, "/fractional/shuffle"),
            (#"{"kernelSize": 2, "fractional": {}, "input": \#(x)}"#, "/fractional"),
        ] + ["\"stride\": 1", "\"padding\": 0", "\"dilation\": 1", "\"ceilMode\": true", "\"outputSize\": 3", "\"global\": true", "\"mode\": \"avg\""].map { field in
            (#"{"kernelSize": 2, \#(field), "fractional": {"outputSize": 3}, "input": \#(x)}"#,
             field.hasPrefix("\"mode") ? "/fractional" : "/" + field.split(separator: "\"")[0])
        }
        for (body, pointer) in cases {
            let r = api.post("/pool/forward", body)
            XCTAssertEqual(r.status, 422, body)
            let pointers = ServiceCaller.problem(r)?.errors?.map(\.pointer) ?? []
            XCTAssertTrue(pointers.contains(pointer), "\(body): \(pointers)")
        }
    }
}
