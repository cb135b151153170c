import APITestSupport
import Foundation
import PoolAPI
import TensorJSON
import TestSupport
import XCTest

/// The frameworks' own answers (`Tests/Fixtures/conventions`, made by TensorFlow, onnxruntime,
/// JAX and the Torch7 port from its source) through `/pool/forward` and `/pool/backward` under
/// each case's `convention`: max bit for bit (the sign of zero included), avg and lp within
/// float tolerance, indices in the framework's own form. (TensorFlow's value is
/// `tf.nn.max_pool2d`'s, its indices `max_pool_with_argmax`'s: they differ on NaN and −∞.)
final class ConventionFixtureTests: XCTestCase {
    let api = ServiceCaller()

    func testTensorFlow() throws { try check("tensorflow.json") }
    func testONNX() throws { try check("onnx.json") }
    func testJAX() throws { try check("jax.json") }
    func testTorch7() throws { try check("torch7.json") }

    /// The fixtures hold the cases a framework's rules make different: without them the
    /// checks above would prove little.
    func testFixturesHoldTheCornerCases() throws {
        let all = try ["tensorflow.json", "onnx.json", "jax.json", "torch7.json"].flatMap { try Self.cases($0) }
        let inputs = all.compactMap { ($0["input"] as? [String: Any]).map(Self.values) }
        XCTAssertTrue(inputs.contains { $0.contains { $0.isNaN } }, "NaN")
        XCTAssertTrue(inputs.contains { $0.contains { $0 == -.infinity } }, "−∞")
        XCTAssertTrue(inputs.contains { $0.contains { $0 == 0 && $0.sign == .minus } }, "−0")
        XCTAssertTrue(all.contains { ($0["params"] as? [String: Any])?["ceilMode"] as? Bool == true }, "ceil mode")
    }

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/conventions")

    static func cases(_ file: String) throws -> [[String: Any]] {
        let data = try Data(contentsOf: directory.appendingPathComponent(file))
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try XCTUnwrap(root["cases"] as? [[String: Any]])
    }

    /// A fixture tensor's values ("NaN" and "±Infinity" strings included).
    static func values(_ t: [String: Any]) -> [Double] {
        (t["data"] as? [Any] ?? []).map { v in
            if let s = v as? String { return s == "NaN" ? .nan : s == "Infinity" ? .infinity : -.infinity }
            return (v as! NSNumber).doubleValue
        }
    }

    /// `values` as a b64 tensor of the case's dtype (exact, −0 and NaN included).
    static func b64(_ t: [String: Any], dtype: String) -> [String: Any] {
        var bytes: [UInt8] = []
        for v in values(t) {
            if dtype == "float32" { withUnsafeBytes(of: Float(v).bitPattern.littleEndian) { bytes += $0 } } else {
                withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes += $0 }
            }
        }
        return ["shape": t["shape"]!, "dtype": dtype, "b64": Data(bytes).base64EncodedString()]
    }

    func post(_ path: String, _ body: [String: Any]) throws -> (status: Int, json: [String: Any]) {
        let r = api.post(path, Array(try JSONSerialization.data(withJSONObject: body)))
        let json = try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any] ?? [:]
        return (r.status, json)
    }

    /// A response tensor's values.
    static func answer(_ json: [String: Any], _ key: String) -> TensorPayload? {
        guard let t = json[key], let data = try? JSONSerialization.data(withJSONObject: t) else { return nil }
        return try? JSONDecoder().decode(TensorPayload.self, from: data)
    }

    func check(_ file: String) throws {
        let cases = try Self.cases(file)
        XCTAssertGreaterThan(cases.count, 20, file)
        for c in cases {
            let name = "\(file) \(c["name"] as! String)"
            let dtype = c["dtype"] as! String
            var params = c["params"] as! [String: Any]
            params["dtype"] = dtype
            params["encoding"] = "b64"
            let mode = params["mode"] as? String ?? "max"
            let exact = mode == "max"
            var forward = params
            forward["input"] = Self.b64(c["input"] as! [String: Any], dtype: dtype)
            if c["indices"] != nil { forward["return"] = ["output", "indices"] } else if mode == "max" { forward["return"] = ["output"] }
            let f = try post("/pool/forward", forward)
            guard f.status == 200 else { XCTFail("\(name) forward: \(f.status) \(f.json)"); continue }
            XCTAssertEqual((f.json["rules"] as? [String: Any])?["convention"] as? String, params["convention"] as? String, name)
            // TensorFlow's value is tf.nn.max_pool2d's; an argmax case records it where it differs.
            let want = (c["outputMaxPool2d"] ?? c["output"]) as! [String: Any]
            let output = try XCTUnwrap(Self.answer(f.json, "output"), name)
            XCTAssertEqual(output.shape, want["shape"] as? [Int], "\(name) output shape")
            XCTAssertNil(Self.mismatch(output.values, Self.values(want), dtype: dtype, exact: exact), "\(name) output")
            if let wantIndices = c["indices"] as? [String: Any] {
                let indices = try XCTUnwrap(Self.answer(f.json, "indices"), name)
                XCTAssertEqual(indices.values, Self.values(wantIndices), "\(name) indices")
            }
            guard let gradOutput = c["gradOutput"] as? [String: Any], let wantGrad = c["gradInput"] as? [String: Any] else { continue }
            var backward = params
            backward["input"] = forward["input"]
            backward["gradOutput"] = Self.b64(gradOutput, dtype: dtype)
            let b = try post("/pool/backward", backward)
            guard b.status == 200 else { XCTFail("\(name) backward: \(b.status) \(b.json)"); continue }
            let grad = try XCTUnwrap(Self.answer(b.json, "gradInput"), name)
            XCTAssertNil(Self.mismatch(grad.values, Self.values(wantGrad), dtype: dtype, exact: exact), "\(name) gradInput")
        }
    }

    /// Bit-for-bit (in the dtype; NaN equals NaN; +0 ≠ −0) when `exact`, else within the golden
    /// tolerance; nil when they agree.
    static func mismatch(_ got: [Double], _ want: [Double], dtype: String, exact: Bool) -> String? {
        guard got.count == want.count else { return "count \(got.count) ≠ \(want.count)" }
        let round: (Double) -> Double = dtype == "float32" ? { Double(Float($0)) } : { $0 }
        for k in 0..<got.count {
            let (g, w) = (round(got[k]), round(want[k]))
            if g.isNaN && w.isNaN { continue }
            if exact {
                if g.bitPattern != w.bitPattern { return "element \(k): got \(g), want \(w)" }
            } else if let m = Compare.close([g], [w], tolerance: dtype == "float32" ? 1e-4 : 1e-10, absolute: dtype == "float32" ? 1e-5 : 1e-12) {
                return "element \(k): \(m)"
            }
        }
        return nil
    }
}
