import Foundation
@testable import InferenceAPI
import MicroHTTP
import PoolAPI
import PoolCore
import TensorJSON
import XCTest

/// The v2 routes in process: metadata, health, and infer compared with the native endpoints
/// on the same tensors.
final class InferenceServiceTests: XCTestCase {
    let call = InferCall()
    let x = sample(2 * 3 * 9 * 9)
    let shape = [2, 3, 9, 9]

    func testServerMetadataHealthAndReadiness() {
        let meta = call.send(.get, "/v2")
        XCTAssertEqual(meta.status, 200)
        XCTAssertEqual(meta.header["name"] as? String, "poolserve")
        XCTAssertEqual(meta.header["extensions"] as? [String], ["binary_tensor_data"])
        XCTAssertEqual(call.send(.get, "/v2/health/live").header["live"] as? Bool, true)
        XCTAssertEqual(call.send(.get, "/v2/health/ready").header["ready"] as? Bool, true)
        XCTAssertEqual(call.send(.head, "/v2/health/ready").status, 200)
        XCTAssertEqual(call.send(.get, "/v2/models/pool/ready").header["ready"] as? Bool, true)

        let draining = InferCall(service: InferenceService(isReady: { false }))
        let ready = draining.send(.get, "/v2/health/ready")
        XCTAssertEqual(ready.status, 503)
        XCTAssertEqual(ready.header["ready"] as? Bool, false)
        XCTAssertEqual(draining.send(.get, "/v2/models/pool/versions/1/ready").status, 503)
        XCTAssertEqual(draining.send(.get, "/v2/health/live").status, 200, "draining is not dead")
    }

    func testModelMetadata() {
        let max = call.send(.get, "/v2/models/maxpool2d_k3s2p1")
        XCTAssertEqual(max.status, 200)
        XCTAssertEqual(max.header["versions"] as? [String], ["1"])
        let inputs = (max.header["inputs"] as? [[String: Any]])?.map { $0["name"] as? String }
        XCTAssertEqual(inputs, ["INPUT", "GRAD_OUTPUT", "INDICES"])
        let outputs = max.header["outputs"] as? [[String: Any]]
        XCTAssertEqual(outputs?.map { $0["name"] as? String }, ["OUTPUT", "INDICES", "MASK", "GRAD_INPUT"])
        XCTAssertEqual(outputs?[1]["datatype"] as? String, "INT64")
        XCTAssertEqual(outputs?[0]["shape"] as? [Int], [-1, -1, -1, -1])
        let avg = call.send(.get, "/v2/models/avgpool2d_k3s2p1/versions/1")
        XCTAssertEqual((avg.header["outputs"] as? [[String: Any]])?.map { $0["name"] as? String }, ["OUTPUT", "GRAD_INPUT"])
        let unknown = call.send(.get, "/v2/models/resnet50")
        XCTAssertEqual(unknown.status, 404)
        XCTAssertEqual(unknown.error, "Request for unknown model: 'resnet50' is not found")
        let version = call.send(.get, "/v2/models/pool/versions/2")
        XCTAssertEqual(version.status, 404)
        XCTAssertTrue(version.error?.contains("version '2'") == true)
    }

    func testUnknownPathsAndMethodsAnswerWithError() {
        for path in ["/v2/models/pool/config", "/v2/", "/v2/models", "/v2/health"] {
            let r = call.send(.get, path)
            XCTAssertEqual(r.status, 404, path)
            XCTAssertNotNil(r.error, path)
        }
        let wrong = call.send(.get, "/v2/models/pool/infer")
        XCTAssertEqual(wrong.status, 405)
        XCTAssertEqual(wrong.response.header("allow"), "POST")
        XCTAssertNotNil(wrong.error)
        XCTAssertEqual(call.send(.post, "/v2").response.header("allow"), "GET, HEAD")
    }

    /// maxpool2d_k3s2p1 over JSON and binary data equals the native forward.
    func testForwardEqualsNative() {
        let native = call.native("/pool/forward", ["kernelSize": 3, "stride": 2, "padding": 1,
                                                   "input": ["shape": shape, "data": x.map { Double($0) }], "encoding": "flat"])
        XCTAssertEqual(native.status, 200)
        let json = call.infer("maxpool2d_k3s2p1", [.json("INPUT", x.map { Double($0) }, shape: shape, "FP32")], id: "call-7")
        let binary = call.infer("maxpool2d_k3s2p1", [.binary("INPUT", x, shape: shape, "FP32")], parameters: ["binary_data_output": true])
        for answer in [json, binary] {
            XCTAssertEqual(answer.status, 200, answer.error ?? "")
            XCTAssertTrue(same(answer.values("OUTPUT"), InferCall.flat(native.json["output"])))
            XCTAssertTrue(same(answer.values("INDICES"), InferCall.flat(native.json["indices"])))
            XCTAssertTrue(same(answer.values("MASK"), InferCall.flat(native.json["mask"])))
            XCTAssertEqual(answer.output("OUTPUT")?["shape"] as? [Int], [2, 3, 5, 5])
            XCTAssertEqual(answer.output("MASK")?["shape"] as? [Int], shape)
            XCTAssertNil(answer.output("GRAD_INPUT"), "no GRAD_OUTPUT, no GRAD_INPUT")
        }
        XCTAssertEqual(json.header["id"] as? String, "call-7")
        XCTAssertEqual(json.header["model_name"] as? String, "maxpool2d_k3s2p1")
        XCTAssertEqual(json.response.header("content-type"), "application/json")
        XCTAssertEqual(binary.response.header("content-type"), "application/octet-stream")
        XCTAssertEqual(binary.binary["OUTPUT"]?.count, 2 * 3 * 5 * 5 * 4)
        XCTAssertEqual(binary.binary["INDICES"]?.count, 2 * 3 * 5 * 5 * 8)
        let nested = call.infer("maxpool2d_k3s2p1", [.json("INPUT", nest(x.map { Double($0) }, shape), shape: shape, "FP32")])
        XCTAssertTrue(same(nested.values("OUTPUT"), json.values("OUTPUT")), "nested data reads as flat data does")
    }

    /// FP16, BF16 and FP64 inputs: computed in float32 (float64 for FP64) on the values the
    /// wire type holds, answered in the input's type, rounded to nearest even.
    func testEachDatatype() {
        for (type, round) in [("FP16", { (v: Float) in Float(Float16(v)) }), ("BF16", { TensorDataType.rounded($0, to: .bf16) }), ("FP32", { $0 })] {
            let held = x.map(round)
            let native = call.native("/pool/forward", ["kernelSize": 3, "stride": 2, "padding": 1, "mode": "max",
                                                       "input": ["shape": shape, "data": held.map { Double($0) }], "encoding": "flat"])
            let bytes: [UInt8]
            switch type {
            case "FP16": bytes = x.map { Float16($0).bitPattern }.withUnsafeBytes { Array($0) }
            case "BF16": bytes = x.map { HalfPrecision.bfloat16($0) }.withUnsafeBytes { Array($0) }
            default: bytes = x.withUnsafeBytes { Array($0) }
            }
            for input in [InferCall.Tensor(name: "INPUT", shape: shape, datatype: type, json: nil, bytes: bytes),
                          .json("INPUT", x.map { Double($0) }, shape: shape, type)] {
                let answer = call.infer("maxpool2d_k3s2p1", [input], outputs: [("OUTPUT", true), ("MASK", false)])
                XCTAssertEqual(answer.status, 200, "\(type): \(answer.error ?? "")")
                XCTAssertEqual(answer.output("OUTPUT")?["datatype"] as? String, type)
                XCTAssertEqual(answer.binary["OUTPUT"]?.count, 150 * (type == "FP32" ? 4 : 2))
                XCTAssertTrue(same(answer.values("OUTPUT"), InferCall.flat(native.json["output"])), type)
                XCTAssertTrue(same(answer.values("MASK"), InferCall.flat(native.json["mask"])), type)
            }
        }
        let wide = x.map { Double($0) / 3 }
        let native = call.native("/pool/forward", ["mode": "avg", "kernelSize": 3, "stride": 2, "padding": 1, "dtype": "float64",
                                                   "input": ["shape": shape, "data": wide], "encoding": "flat"])
        let answer = call.infer("avgpool2d_k3s2p1", [.binary("INPUT", wide, shape: shape, "FP64")])
        XCTAssertEqual(answer.output("OUTPUT")?["datatype"] as? String, "FP64")
        XCTAssertTrue(same(answer.values("OUTPUT"), InferCall.flat(native.json["output"])), "FP64 is computed in float64")
    }

    func testHalfOutputsOverflowToInfinityAsPyTorchDoes() {
        let big: [Float] = [60000, 60000, 60000, 60000]
        let answer = call.infer("pool", [.binary("INPUT", big.map { Float16($0).bitPattern }, shape: [1, 1, 4], "FP16")],
                                parameters: ["mode": "lp", "kernelSize": 2, "p": 1])
        XCTAssertEqual(answer.status, 200, answer.error ?? "")
        XCTAssertEqual(answer.values("OUTPUT"), [.infinity, .infinity], "120000 is past FP16's 65504")
    }

    func testBackwardEqualsNative() {
        let g = sample(2 * 3 * 5 * 5, seed: 9)
        let native = call.native("/pool/backward", ["kernelSize": 3, "stride": 2, "padding": 1, "input": ["shape": shape, "data": x.map { Double($0) }],
                                                    "gradOutput": ["shape": [2, 3, 5, 5], "data": g.map { Double($0) }]])
        XCTAssertEqual(native.status, 200)
        let both = call.infer("maxpool2d_k3s2p1", [.binary("INPUT", x, shape: shape, "FP32"), .binary("GRAD_OUTPUT", g, shape: [2, 3, 5, 5], "FP32")])
        XCTAssertEqual(both.status, 200, both.error ?? "")
        XCTAssertTrue(same(both.values("GRAD_INPUT"), InferCall.flat(native.json["gradInput"])))
        XCTAssertNotNil(both.output("OUTPUT"), "with INPUT and GRAD_OUTPUT both directions apply")

        let indices = both.values("INDICES")!.map { Int64($0) }
        let routed = call.infer("maxpool2d_k3s2p1", [.binary("INDICES", indices, shape: [2, 3, 5, 5], "INT64"),
                                                     .json("GRAD_OUTPUT", g.map { Double($0) }, shape: [2, 3, 5, 5], "FP32")],
                                parameters: ["input_shape": "[2, 3, 9, 9]"])
        XCTAssertEqual(routed.status, 200, routed.error ?? "")
        XCTAssertEqual((routed.header["outputs"] as? [[String: Any]])?.count, 1, "only GRAD_INPUT applies without INPUT")
        XCTAssertTrue(same(routed.values("GRAD_INPUT"), InferCall.flat(native.json["gradInput"])))

        let avgNative = call.native("/pool/backward", ["mode": "avg", "kernelSize": 3, "stride": 2, "padding": 1, "inputShape": shape,
                                                       "gradOutput": ["shape": [2, 3, 5, 5], "data": g.map { Double($0) }]])
        let avg = call.infer("avgpool2d_k3s2p1", [.binary("GRAD_OUTPUT", g, shape: [2, 3, 5, 5], "FP32")], parameters: ["input_shape": "[2, 3, 9, 9]"])
        XCTAssertTrue(same(avg.values("GRAD_INPUT"), InferCall.flat(avgNative.json["gradInput"])), avg.error ?? "")
    }

    func testGenericPoolTakesTheNativeParameters() {
        let native = call.native("/pool/forward", ["mode": "avg", "kernelSize": [2, 3], "stride": [1, 2], "padding": ["begin": [0, 1], "end": [1, 0]],
                                                   "countIncludePad": false, "ceilMode": true,
                                                   "input": ["shape": shape, "data": x.map { Double($0) }], "encoding": "flat"])
        XCTAssertEqual(native.status, 200)
        let answer = call.infer("pool", [.binary("INPUT", x, shape: shape, "FP32")],
                                parameters: ["mode": "avg", "kernelSize": "[2, 3]", "stride": "[1, 2]", "padding": "{\"begin\": [0, 1], \"end\": [1, 0]}",
                                             "countIncludePad": false, "ceilMode": true, "sequence_id": 0, "triton_anything": "x"])
        XCTAssertEqual(answer.status, 200, answer.error ?? "")
        XCTAssertTrue(same(answer.values("OUTPUT"), InferCall.flat(native.json["output"])))
        XCTAssertEqual(answer.output("OUTPUT")?["shape"] as? [Int], native.json["outputShape"] as? [Int])

        let bad = call.infer("pool", [.binary("INPUT", x, shape: shape, "FP32")], parameters: ["kernelSize": "[2, 0]", "strides": 2])
        XCTAssertEqual(bad.status, 400)
        XCTAssertEqual(bad.error, "parameter 'kernelSize/1': must be ≥ 1 and ≤ 2147483647, got 0; parameter 'strides': unknown field \"strides\"")
        let missing = call.infer("pool", [.binary("INPUT", x, shape: shape, "FP32")])
        XCTAssertEqual(missing.error, "parameter 'kernelSize': is required unless \"outputSize\" or \"global\": true is given")
        let fixed = call.infer("maxpool2d_k2s2", [.binary("INPUT", x, shape: shape, "FP32")], parameters: ["kernelSize": 3])
        XCTAssertEqual(fixed.status, 400)
        XCTAssertTrue(fixed.error?.contains("fixed by the layer repository") == true, fixed.error ?? "")
        let text = call.infer("pool", [.binary("INPUT", x, shape: shape, "FP32")], parameters: ["kernelSize": "[2, "])
        XCTAssertTrue(text.error?.hasPrefix("request parameter 'kernelSize' is not valid JSON text") == true, text.error ?? "")
    }

    func testOutputsAreTheOnesAskedForInTheirOrder() {
        let answer = call.infer("maxpool2d_k3s2p1", [.binary("INPUT", x, shape: shape, "FP32")], outputs: [("MASK", false), ("OUTPUT", true)])
        XCTAssertEqual((answer.header["outputs"] as? [[String: Any]])?.map { $0["name"] as? String }, ["MASK", "OUTPUT"])
        XCTAssertNotNil(answer.output("MASK")?["data"])
        XCTAssertNil(answer.output("OUTPUT")?["data"])
        XCTAssertEqual(answer.binary.keys.sorted(), ["OUTPUT"])
        let jsonOnly = call.infer("maxpool2d_k3s2p1", [.binary("INPUT", x, shape: shape, "FP32")], outputs: [("INDICES", false)])
        XCTAssertEqual(jsonOnly.response.header("content-type"), "application/json")
        XCTAssertNil(jsonOnly.response.header("inference-header-content-length"))
    }

    /// Everything a client can get wrong: a 4xx with `{"error"}` that says what.
    func testErrorsAreClearAndNever5xx() {
        let ok = InferCall.Tensor.binary("INPUT", x, shape: shape, "FP32")
        let cases: [(String, InferCall.Answer, Int, String)] = [
            ("unknown model", call.infer("nope", [ok]), 404, "Request for unknown model: 'nope' is not found"),
            ("wrong datatype", call.infer("pool", [.binary("INPUT", x.map { Int32($0) }, shape: shape, "INT32")], parameters: ["kernelSize": 2]),
             400, "unexpected datatype INT32 for inference input 'INPUT' of model 'pool'; expected one of FP16, BF16, FP32, FP64"),
            ("rank", call.infer("maxpool2d_k3s2p1", [.binary("INPUT", x, shape: [2, 3, 81], "FP32")]), 400,
             "unexpected shape for input 'INPUT' of model 'maxpool2d_k3s2p1': expected 4 dimensions [-1, -1, -1, -1], got [2, 3, 81]"),
            ("grad shape", call.infer("maxpool2d_k3s2p1", [ok, .binary("GRAD_OUTPUT", [Float](repeating: 1, count: 6), shape: [2, 3, 1, 1], "FP32")]), 400,
             "input 'GRAD_OUTPUT': has shape [2, 3, 1, 1] but the forward output shape is [2, 3, 5, 5]"),
            ("size vs shape", call.infer("maxpool2d_k3s2p1", [.binary("INPUT", Array(x.dropLast()), shape: shape, "FP32")]), 400,
             "unexpected size for input 'INPUT': shape [2, 3, 9, 9] of FP32 needs 1944 bytes but its binary_data_size is 1940"),
            ("size past the body", call.infer("maxpool2d_k3s2p1", [ok], truncate: 8), 400,
             "input 'INPUT' has binary_data_size 1944 but only 1936 bytes of binary data are left after the inference header and the inputs before it"),
            ("bytes left over", call.infer("maxpool2d_k3s2p1", [ok], trailing: [1, 2, 3]), 400,
             "the body has 1947 bytes after the inference header but the inputs' binary_data_size add up to 1944"),
            ("header past the body", call.infer("maxpool2d_k3s2p1", [ok], headerLength: { $0 + 5000 }), 400, "Inference-Header-Content-Length is"),
            ("data count", call.infer("maxpool2d_k3s2p1", [.json("INPUT", [1, 2, 3], shape: [1, 1, 2, 2], "FP32")]), 400,
             "input 'INPUT': \"data\" has 3 values but shape [1, 1, 2, 2] needs 4"),
            ("bad number", call.infer("maxpool2d_k3s2p1", [.json("INPUT", [1, 2, "x", 4], shape: [1, 1, 2, 2], "FP32")]), 400, "input 'INPUT' data/2: must be"),
            ("unknown input", call.infer("maxpool2d_k3s2p1", [ok, .binary("X", x, shape: shape, "FP32")]), 400, "unexpected inference input 'X'"),
            ("unknown output", call.infer("maxpool2d_k3s2p1", [ok], outputs: [("Y", true)]), 400, "unexpected inference output 'Y'"),
            ("output needs", call.infer("maxpool2d_k3s2p1", [ok], outputs: [("GRAD_INPUT", true)]), 400, "output 'GRAD_INPUT' needs input 'GRAD_OUTPUT'"),
            ("avg mask", call.infer("avgpool2d_k3s2p1", [ok], outputs: [("MASK", true)]), 400, "output 'MASK' exists only for max pooling"),
            ("indices avg", call.infer("avgpool2d_k3s2p1", [ok, .binary("GRAD_OUTPUT", [Float](repeating: 1, count: 150), shape: [2, 3, 5, 5], "FP32"),
                                                           .binary("INDICES", [Int64](repeating: 0, count: 150), shape: [2, 3, 5, 5], "INT64")]),
             400, "input 'INDICES': applies only to mode \"max\""),
            ("indices alone", call.infer("maxpool2d_k3s2p1", [ok, .binary("INDICES", [Int64](repeating: 0, count: 150), shape: [2, 3, 5, 5], "INT64")]),
             400, "input 'INDICES' is used by the backward only: give 'GRAD_OUTPUT' with it"),
            ("no input", call.infer("maxpool2d_k3s2p1", [.binary("GRAD_OUTPUT", x, shape: shape, "FP32")]), 400,
             "input 'INPUT': is required for mode \"max\" unless \"indices\" is given"),
            ("too large", InferCall(service: InferenceService(limits: Limits(maxElements: 100))).infer("maxpool2d_k3s2p1", [ok]), 413,
             "input 'INPUT' of shape [2, 3, 9, 9] has more elements than the limit of 100 per tensor (raise it with --max-elements)"),
            ("window", call.infer("pool", [.binary("INPUT", x, shape: shape, "FP32")], parameters: ["kernelSize": 20]), 400, "parameter 'kernelSize"),
            ("list parameter", call.infer("pool", [ok], parameters: ["kernelSize": [2, 2]]), 400,
             "request parameter 'kernelSize' must be a string, number or boolean, got an array"),
            ("media type", call.infer("maxpool2d_k3s2p1", [ok], contentType: "text/plain"), 415, "Content-Type must be"),
            ("not JSON", call.send(.post, "/v2/models/pool/infer", body: Array("{".utf8)), 400, "the inference request is not valid JSON"),
            ("no inputs", call.send(.post, "/v2/models/pool/infer", body: Array("{\"inputs\": []}".utf8)), 400, "\"inputs\" must be a non-empty array"),
            ("binary without header", call.send(.post, "/v2/models/pool/infer",
                                                body: Array("{\"inputs\": [{\"name\": \"INPUT\", \"shape\": [1], \"datatype\": \"FP32\", \"parameters\": {\"binary_data_size\": 0}}]}".utf8)),
             400, "input 'INPUT' has binary_data_size but the request has no Inference-Header-Content-Length header"),
            ("unknown field", call.send(.post, "/v2/models/pool/infer", body: Array("{\"input\": []}".utf8)), 400, "the inference request has unknown field 'input'"),
        ]
        for (label, answer, status, message) in cases {
            XCTAssertEqual(answer.status, status, "\(label): \(answer.error ?? "")")
            XCTAssertTrue(answer.error?.hasPrefix(message) == true, "\(label): \(answer.error ?? "no error")")
            XCTAssertEqual(answer.response.header("content-type"), "application/json", label)
        }
    }

    /// `Inference-Header-Content-Length` is a byte count: digits only (around them the
    /// optional whitespace of any field value), no sign, no other notation.
    func testHeaderLengthIsDigitsOnly() {
        let input = InferCall.Tensor.binary("INPUT", x, shape: shape, "FP32")
        let refused: [(String, (Int) -> String)] = [
            ("+N", { "+\($0)" }), ("-0", { _ in "-0" }), ("+0", { _ in "+0" }), ("0x10", { _ in "0x10" }), ("1_0", { _ in "1_0" }),
            ("1e2", { _ in "1e2" }), ("empty", { _ in "" }), ("space", { _ in " " }), ("Arabic digits", { _ in "\u{0661}\u{0663}" }),
        ]
        for (label, text) in refused {
            let answer = call.infer("maxpool2d_k2s2", [input], headerLengthText: text)
            XCTAssertEqual(answer.status, 400, "\(label): \(answer.error ?? "")")
            XCTAssertTrue(answer.error?.hasPrefix("Inference-Header-Content-Length must be a byte count") == true, "\(label): \(answer.error ?? "no error")")
        }
        let accepted: [(String, (Int) -> String)] = [("N", { "\($0)" }), ("N SP", { "\($0) " }), ("HTAB N", { "\t\($0)" })]
        for (label, text) in accepted {
            XCTAssertEqual(call.infer("maxpool2d_k2s2", [input], headerLengthText: text).status, 200, label)
        }
    }

    func testContentTypesRealClientsSend() {
        for type in [nil, "application/json", "application/octet-stream", "application/json; charset=utf-8"] {
            XCTAssertEqual(call.infer("maxpool2d_k2s2", [.binary("INPUT", x, shape: shape, "FP32")], contentType: type).status, 200, type ?? "none")
        }
    }

    func testMetricLabelsAreBounded() {
        let service = InferenceService()
        func labels(_ path: String) -> [String]? { service.metricLabels(path: path)?.map { "\($0.0)=\($0.1)" } }
        XCTAssertEqual(labels("/v2/models/pool/infer"), ["route=/v2/models/{name}/infer", "model=pool"])
        XCTAssertEqual(labels("/v2/models/x\(UUID())/infer"), ["route=/v2/models/{name}/infer", "model=unknown"])
        XCTAssertEqual(labels("/v2/models/pool/versions/9/infer"), ["route=/v2/models/{name}/versions/{version}/infer", "model=unknown"])
        XCTAssertEqual(labels("/v2/what/ever"), ["route=unknown"])
        XCTAssertEqual(labels("/v2"), ["route=/v2"])
        XCTAssertNil(labels("/pool/forward"))
    }
}

/// `flat` nested by `shape` as JSON arrays.
func nest(_ flat: [Double], _ shape: [Int]) -> [Any] {
    guard shape.count > 1 else { return flat }
    let step = flat.count / shape[0]
    return (0..<shape[0]).map { nest(Array(flat[($0 * step)..<(($0 + 1) * step)]), Array(shape.dropFirst())) }
}
