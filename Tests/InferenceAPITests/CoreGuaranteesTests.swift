import Foundation
import InferenceAPI
import MicroHTTP
import PoolAPI
import PoolCore
import XCTest

/// What the one core gives every front end, checked through `/v2`: the memory top-up of the
/// validated call, the stages, the drawn samples, the index order, and non-finite JSON data as
/// Triton writes it.
final class CoreGuaranteesTests: XCTestCase {
    let call = InferCall()

    /// A 300-byte backward from INDICES whose gradInput is 16 M floats (64 MB) is refused 503
    /// under a 50 MB budget before anything is allocated — as the native API refuses it.
    func testASmallBackwardWithALargeAnswerIsRefusedOverBudget() {
        let header = #"{"inputs":[{"name":"GRAD_OUTPUT","shape":[1,1,1,1],"datatype":"FP32","data":[1]},{"name":"INDICES","shape":[1,1,1,1],"datatype":"INT64","data":[0]}],"parameters":{"mode":"max","kernelSize":4000,"input_shape":"[1,1,4000,4000]"}}"#
        for budget in [MemoryBudget(limit: 50_000_000), MemoryBudget(limit: 1 << 31)] {
            let memory = MemoryReservation(budget: budget)
            let r = call.router.respond(to: Request(method: .post, path: "/v2/models/pool/infer", headers: [:], body: Array(header.utf8), memory: memory))
            if budget.limit < 1 << 30 {
                XCTAssertEqual(r.status, 503, String(decoding: r.body, as: UTF8.self))
                XCTAssertNotNil(r.header("Retry-After"))
                XCTAssertTrue(String(decoding: r.body, as: UTF8.self).contains("--max-inflight-bytes"))
                XCTAssertEqual(memory.bytes, 0, "nothing is taken when the budget has no room")
                XCTAssertEqual(r.shed, .memory)
            } else {
                XCTAssertEqual(r.status, 200, String(decoding: r.body.prefix(300), as: UTF8.self))
                XCTAssertGreaterThanOrEqual(memory.bytes, 16_000_000 * 4, "the gradInput is reserved")
            }
        }
    }

    func testEveryInferCarriesTheCoreStages() {
        let x = sample(2 * 3 * 9 * 9)
        let r = call.infer("maxpool2d_k3s2p1", [.binary("INPUT", x, shape: [2, 3, 9, 9], "FP32")])
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.response.timings.map(\.name), ["parse", "validate", "pool", "encode"])
        XCTAssertTrue(r.response.timings.contains { $0.seconds > 0 }, "the clock ran")
    }

    /// Fractional pooling from a seed answers SAMPLES; given back as `fractional.samples` they
    /// replay the call bit for bit.
    func testDrawnSamplesComeBackAndReplayTheCall() {
        let x = sample(1 * 2 * 7 * 7)
        let input = InferCall.Tensor.binary("INPUT", x, shape: [1, 2, 7, 7], "FP32")
        let drawn = call.infer("pool", [input], parameters: ["kernelSize": 2, "fractional": #"{"outputSize": 3, "seed": 7}"#])
        XCTAssertEqual(drawn.status, 200, drawn.error ?? "")
        XCTAssertEqual(drawn.output("SAMPLES")?["shape"] as? [Int], [1, 2, 2])
        guard let samples = drawn.values("SAMPLES"), samples.count == 4 else { return XCTFail("no SAMPLES") }
        let text = #"{"outputSize": 3, "samples": {"shape": [1, 2, 2], "data": \#(samples)}}"#
        let replay = call.infer("pool", [input], parameters: ["kernelSize": 2, "fractional": text])
        XCTAssertEqual(replay.status, 200, replay.error ?? "")
        XCTAssertNil(replay.output("SAMPLES"), "none drawn: none sent")
        XCTAssertTrue(same(replay.values("OUTPUT"), drawn.values("OUTPUT")))
        XCTAssertTrue(same(replay.values("INDICES"), drawn.values("INDICES")))
        let other = call.infer("pool", [input], parameters: ["kernelSize": 2, "fractional": #"{"outputSize": 3, "seed": 8}"#])
        XCTAssertFalse(same(other.values("SAMPLES"), drawn.values("SAMPLES")), "another seed draws other samples")
    }

    /// An FP64 input computes in float64 — its fractional windows too (PyTorch's alpha is in
    /// the compute type) — as the native API does with `dtype: "float64"`. Input 63, kernel 3,
    /// output 44 and the sample 0.64999920129776 (an exact 24-bit value) give other windows in
    /// float32 than in float64.
    func testFP64FractionalWindowsAreFloat64AsTheNativeAPIs() {
        let x = (0..<63).map(Double.init) // ascending: each window's max is its last cell, so indices show the windows
        let fractional = #"{"outputSize": 44, "samples": {"shape": [1, 1, 1], "data": [0.64999920129776]}}"#
        let oip = call.infer("pool", [.binary("INPUT", x, shape: [1, 1, 63], "FP64")], parameters: ["kernelSize": 3, "fractional": fractional])
        XCTAssertEqual(oip.status, 200, oip.error ?? "")
        func native(_ dtype: String) -> [Double] {
            let r = call.native("/pool/forward", ["kernelSize": 3, "fractional": ["outputSize": 44, "samples": ["shape": [1, 1, 1], "data": [0.64999920129776]]],
                                                  "dtype": dtype, "input": ["shape": [1, 1, 63], "data": x], "encoding": "flat"])
            XCTAssertEqual(r.status, 200)
            return InferCall.flat(r.json["indices"])
        }
        XCTAssertNotEqual(native("float32"), native("float64"), "the case tells the two precisions apart")
        XCTAssertTrue(same(oip.values("INDICES"), native("float64")), "FP64 windows are float64 windows")
    }

    /// ONNX's column-major indices (`storage_order` 1) through `/v2`, both ways.
    func testColumnMajorIndicesBothWays() {
        let x = sample(1 * 1 * 4 * 6)
        let input = InferCall.Tensor.binary("INPUT", x, shape: [1, 1, 4, 6], "FP32")
        let row = call.infer("pool", [input], parameters: ["kernelSize": 2, "stride": 2])
        let column = call.infer("pool", [input], parameters: ["kernelSize": 2, "stride": 2, "indexOrder": "column_major"])
        guard let r = row.values("INDICES"), let c = column.values("INDICES") else { return XCTFail("no INDICES") }
        XCTAssertEqual(c, r.map { i in Double((Int(i) % 6) * 4 + Int(i) / 6) }, "column-major: w·H + h")
        let back = call.infer("pool", [.binary("GRAD_OUTPUT", [Float](repeating: 1, count: 6), shape: [1, 1, 2, 3], "FP32"),
                                       .binary("INDICES", c.map { Int64($0) }, shape: [1, 1, 2, 3], "INT64")],
                              parameters: ["kernelSize": 2, "stride": 2, "indexOrder": "column_major", "input_shape": "[1, 1, 4, 6]"])
        XCTAssertEqual(back.status, 200, back.error ?? "")
        XCTAssertTrue(same(back.values("GRAD_INPUT"), row.values("MASK")), "the gradient goes where the row-major mask says")
    }

    /// Bare NaN and ±Infinity in JSON data, as tritonclient writes them, are read; the answer
    /// writes them bare too. The native API still refuses them (not JSON there).
    func testNonFiniteJSONDataAsTritonWritesIt() {
        let header = #"{"inputs":[{"name":"INPUT","shape":[1,1,4],"datatype":"FP32","data":[1, NaN, -Infinity, Infinity]}],"outputs":[{"name":"OUTPUT"}],"parameters":{"kernelSize":2,"stride":1}}"#
        let r = call.router.respond(to: Request(method: .post, path: "/v2/models/pool/infer", headers: [:], body: Array(header.utf8)))
        XCTAssertEqual(r.status, 200, String(decoding: r.body, as: UTF8.self))
        XCTAssertTrue(String(decoding: r.body, as: UTF8.self).contains(#""data":[NaN,NaN,Infinity]"#), String(decoding: r.body, as: UTF8.self))
        let native = call.router.respond(to: Request(method: .post, path: "/pool/forward", headers: ["content-type": "application/json"],
                                                     body: Array(#"{"kernelSize":2,"input":[[[1, NaN]]]}"#.utf8)))
        XCTAssertEqual(native.status, 400)
    }
}
