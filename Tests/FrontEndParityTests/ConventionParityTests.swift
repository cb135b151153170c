import APITestSupport
import Foundation
import InferenceAPI
import MicroHTTP
import PoolAPI
import XCTest

/// Every convention fixture through the Open Inference Protocol (the generic `pool` model with
/// `convention` as a request parameter, binary data) gives the native API's numbers bit for bit,
/// and the answer carries the same `rules` (as the JSON text of the `rules` parameter).
final class ConventionParityTests: XCTestCase {
    let router: Router = {
        var router = PoolService().router()
        InferenceService().register(in: &router)
        return router
    }()

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/conventions")

    func testEveryConventionCaseGivesTheSameNumbersAndRulesOverTheInferenceProtocol() throws {
        var checked = 0
        for file in ["tensorflow.json", "onnx.json", "jax.json", "torch7.json"] {
            let data = try Data(contentsOf: Self.directory.appendingPathComponent(file))
            let cases = try XCTUnwrap((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["cases"] as? [[String: Any]])
            for c in cases {
                let name = "\(file) \(c["name"] as! String)"
                let dtype = c["dtype"] as! String
                var params = c["params"] as! [String: Any]
                params["dtype"] = dtype
                let input = Self.values(c["input"] as! [String: Any])
                let shape = (c["input"] as! [String: Any])["shape"] as! [Int]
                let gradOutput = (c["gradOutput"] as? [String: Any]).map { (Self.values($0), $0["shape"] as! [Int]) }
                let isMax = params["mode"] as? String ?? "max" == "max"
                var parts = ["OUTPUT"]
                if c["indices"] != nil { parts.append("INDICES") }
                if gradOutput != nil { parts.append("GRAD_INPUT") }

                // The native answers.
                var native = params
                native["encoding"] = "b64"
                native["input"] = ["shape": shape, "data": input.map(Self.json)]
                native["return"] = c["indices"] != nil ? ["output", "indices"] : ["output"]
                if !isMax { native["return"] = nil }
                let f = try post("/pool/forward", native)
                XCTAssertEqual(f.status, 200, name)
                var want: [String: [Double]] = ["OUTPUT": Self.decoded(f.json["output"])]
                if c["indices"] != nil { want["INDICES"] = Self.decoded(f.json["indices"]) }
                if let (gy, gyShape) = gradOutput {
                    var b = params
                    b["encoding"] = "b64"
                    b["input"] = native["input"]
                    b["gradOutput"] = ["shape": gyShape, "data": gy.map(Self.json)]
                    want["GRAD_INPUT"] = Self.decoded(try post("/pool/backward", b).json["gradInput"])
                }

                // The same through /v2, binary.
                let (got, rules) = try infer(params, dtype: dtype, input: (input, shape), gradOutput: gradOutput, parts: parts)
                for part in parts {
                    let (a, b) = (got[part] ?? [], want[part] ?? [])
                    XCTAssertTrue(a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) },
                                  "\(name) \(part): \(a.prefix(8)) vs \(b.prefix(8))")
                }
                XCTAssertEqual(rules?["convention"] as? String, params["convention"] as? String, name)
                XCTAssertEqual(rules?.count, (f.json["rules"] as? [String: Any])?.count, name)
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 300)
    }

    // MARK: helpers

    func post(_ path: String, _ body: [String: Any]) throws -> (status: Int, json: [String: Any]) {
        let r = router.respond(to: Request(method: .post, path: path, headers: ["content-type": "application/json"],
                                           body: Array(try JSONSerialization.data(withJSONObject: body))))
        return (r.status, try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any] ?? [:])
    }

    /// The generic model's infer with `params` as request parameters (lists and objects as JSON
    /// text), binary inputs and outputs; the outputs by name and the `rules` parameter, decoded.
    func infer(_ params: [String: Any], dtype: String, input: ([Double], [Int]), gradOutput: ([Double], [Int])?,
               parts: [String]) throws -> ([String: [Double]], [String: Any]?) {
        var parameters: [String: Any] = [:]
        for (k, v) in params {
            if v is [Any] || v is [String: Any] {
                parameters[k] = String(decoding: try JSONSerialization.data(withJSONObject: v), as: UTF8.self)
            } else {
                parameters[k] = v
            }
        }
        let type = dtype == "float32" ? "FP32" : "FP64"
        var data: [UInt8] = []
        var inputs: [[String: Any]] = []
        for (name, t) in [("INPUT", Optional(input)), ("GRAD_OUTPUT", gradOutput)] {
            guard let (values, shape) = t else { continue }
            var bytes: [UInt8] = []
            for v in values {
                if type == "FP32" { withUnsafeBytes(of: Float(v).bitPattern.littleEndian) { bytes += $0 } } else {
                    withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes += $0 }
                }
            }
            data += bytes
            inputs.append(["name": name, "shape": shape, "datatype": type, "parameters": ["binary_data_size": bytes.count]])
        }
        let body: [String: Any] = ["inputs": inputs, "parameters": parameters,
                                   "outputs": parts.map { ["name": $0, "parameters": ["binary_data": true]] }]
        let header = Array(try JSONSerialization.data(withJSONObject: body))
        let r = router.respond(to: Request(method: .post, path: "/v2/models/pool/infer",
                                           headers: ["inference-header-content-length": String(header.count)], body: header + data))
        let split = r.header("inference-header-content-length").flatMap { Int($0) } ?? r.body.count
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.body[0..<split])) as? [String: Any],
                                 String(decoding: r.body.prefix(300), as: UTF8.self))
        var out: [String: [Double]] = [:]
        var offset = split
        for o in json["outputs"] as? [[String: Any]] ?? [] {
            let size = (o["parameters"] as? [String: Any])?["binary_data_size"] as? Int ?? 0
            let bytes = Array(r.body[offset..<(offset + size)])
            offset += size
            let datatype = o["datatype"] as! String
            out[o["name"] as! String] = bytes.withUnsafeBytes { raw in
                switch datatype {
                case "FP32": return raw.bindMemory(to: Float.self).map(Double.init)
                case "INT64": return raw.bindMemory(to: Int64.self).map(Double.init)
                default: return Array(raw.bindMemory(to: Double.self))
                }
            }
        }
        let rulesText = (json["parameters"] as? [String: Any])?["rules"] as? String
        let rules = try rulesText.flatMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        return (out, rules)
    }

    static func values(_ t: [String: Any]) -> [Double] {
        (t["data"] as? [Any] ?? []).map { v in
            if let s = v as? String { return s == "NaN" ? .nan : s == "Infinity" ? .infinity : -.infinity }
            return (v as! NSNumber).doubleValue
        }
    }

    /// A b64 answer tensor's values (float32, float64 or int64), exact.
    static func decoded(_ t: Any?) -> [Double] {
        guard let t = t as? [String: Any], let text = t["b64"] as? String, let data = Data(base64Encoded: text) else { return [] }
        return data.withUnsafeBytes { raw in
            switch t["dtype"] as? String {
            case "float32": return raw.bindMemory(to: Float.self).map(Double.init)
            case "int64": return raw.bindMemory(to: Int64.self).map(Double.init)
            default: return Array(raw.bindMemory(to: Double.self))
            }
        }
    }

    static func json(_ v: Double) -> Any { v.isNaN ? "NaN" : v.isInfinite ? (v > 0 ? "Infinity" : "-Infinity") : v as Any }
}
