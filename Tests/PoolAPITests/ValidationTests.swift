import APITestSupport
import MicroHTTP
import PoolAPI
import PoolCore
import TensorJSON
import XCTest

/// Every row of the contract's error table, and the checks of which fields go together: the
/// status, the problem type and the pointers of every problem, reported at once.
final class ValidationTests: XCTestCase {
    let api = ServiceCaller()
    let x4 = "[[[[1,2,3,4],[5,6,7,8],[9,10,11,12],[13,14,15,16]]]]"

    /// Posts `body` and returns (status, pointers of the problems).
    private func problems(_ path: String = "/pool/forward", _ body: String, file: StaticString = #filePath, line: UInt = #line) -> (Int, [String]) {
        let r = api.post(path, body)
        XCTAssertEqual(r.header("Content-Type"), r.status == 200 ? "application/json" : "application/problem+json", file: file, line: line)
        guard r.status != 200 else { return (200, []) }
        guard let doc = ServiceCaller.problem(r) else {
            XCTFail("not a problem document: \(String(decoding: r.body, as: UTF8.self))", file: file, line: line)
            return (r.status, [])
        }
        XCTAssertEqual(doc.status, r.status, file: file, line: line)
        return (r.status, doc.errors?.map(\.pointer) ?? [])
    }

    private func assert422(_ body: String, _ pointers: [String], path: String = "/pool/forward", file: StaticString = #filePath, line: UInt = #line) {
        let (status, got) = problems(path, body, file: file, line: line)
        XCTAssertEqual(status, 422, file: file, line: line)
        XCTAssertEqual(got.sorted(), pointers.sorted(), file: file, line: line)
    }

    func testMalformedJSONIs400WithTheOffset() {
        for (body, offset) in [("{\"input\": [1,", 13), ("{\"a\":1} trailing", 8), ("", 0), ("{'a': 1}", 1)] {
            let r = api.post("/pool/forward", body)
            XCTAssertEqual(r.status, 400, body)
            XCTAssertEqual(ServiceCaller.problem(r)?.offset, offset, body)
        }
    }

    func testContentTypeOtherThanJSONIs415() {
        XCTAssertEqual(api.post("/pool/forward", "{}", contentType: "text/plain").status, 415)
        XCTAssertEqual(api.post("/pool/forward", "{}", contentType: nil).status, 415)
        XCTAssertEqual(api.post("/pool/forward", "{\"input\": \(x4), \"kernelSize\": 2}", contentType: "application/json; charset=utf-8").status, 200)
    }

    func testUnknownPathIs404AndWrongMethodIs405WithAllow() {
        XCTAssertEqual(api.post("/pool/sideways", "{}").status, 404)
        let r = api.router.respond(to: Request(method: .get, path: "/pool/backward"))
        XCTAssertEqual(r.status, 405)
        XCTAssertEqual(r.header("Allow"), "POST")
        XCTAssertEqual(api.router.respond(to: Request(method: .post, path: "/healthz")).header("Allow"), "GET, HEAD")
    }

    func testTypesAndUnknownFieldsAllAtOnce() {
        assert422(#"{"input": \#(x4), "kernelSize": "2", "strides": 1, "ceilMode": 1, "mode": "maxx", "padding": "half", "dtype": "float16"}"#,
                  ["/kernelSize", "/strides", "/ceilMode", "/mode", "/padding", "/dtype"])
        assert422(#"{"input": \#(x4), "kernelSize": [2, 0], "stride": -1, "dilation": 2.5}"#, ["/kernelSize/1", "/stride", "/dilation"])
        assert422(#"{"input": \#(x4), "kernelSize": 99999999999}"#, ["/kernelSize"])
        assert422(#"{"input": \#(x4), "kernelSize": 2, "kernelSize": 2}"#, ["/kernelSize"])
        assert422(#"[1, 2]"#, [""])
        // A hostile field name is cut in the pointer, so the answer stays small.
        let long = String(repeating: "k", count: 100_000)
        let r = api.post("/pool/forward", "{\"input\": \(x4), \"kernelSize\": 2, \"\(long)\": 1}")
        XCTAssertEqual(r.status, 422)
        XCTAssertLessThan(r.body.count, 1_000)
        assert422(#"{"input": \#(x4), "kernelSize": 2, "stride": null, "mode": null}"#, ["/stride", "/mode"])
        assert422(#"{"input": null, "kernelSize": 2}"#, ["/input"])
    }

    func testWindowFieldsGoTogether() {
        assert422(#"{"input": \#(x4)}"#, ["/kernelSize"])
        assert422(#"{"input": \#(x4), "outputSize": 2, "kernelSize": 2, "stride": 1}"#, ["/kernelSize", "/stride"])
        assert422(#"{"input": \#(x4), "global": true, "kernelSize": 2, "outputSize": 1, "ceilMode": true}"#, ["/kernelSize", "/outputSize", "/ceilMode"])
        assert422(#"{"input": \#(x4), "kernelSize": [2, 2, 2], "stride": [1]}"#, ["/kernelSize", "/stride"])
        assert422(#"{"input": \#(x4), "kernelSize": 2, "padding": {"begin": [0, 0], "end": [0]}}"#, ["/padding/end"])
        assert422(#"{"input": \#(x4), "kernelSize": 2, "padding": {"begin": [0, 0], "end": [0, 0], "middle": 1}}"#, ["/padding/middle"])
    }

    func testModeOnlyFields() {
        assert422(#"{"input": \#(x4), "kernelSize": 2, "p": 3, "countIncludePad": true, "divisorOverride": 2}"#,
                  ["/p", "/countIncludePad", "/divisorOverride"])
        assert422(#"{"input": \#(x4), "kernelSize": 2, "mode": "avg", "ties": "last", "nan": "ignore", "indexSpace": "tensor", "return": ["output", "mask"]}"#,
                  ["/ties", "/nan", "/indexSpace", "/return/1"])
        assert422(#"{"input": \#(x4), "kernelSize": 2, "mode": "lp", "p": 0}"#, ["/p"])
        assert422(#"{"input": \#(x4), "kernelSize": 2, "return": ["output", "output"]}"#, ["/return/1"])
        assert422(#"{"input": \#(x4), "kernelSize": 2, "return": []}"#, ["/return"])
        assert422(#"{"input": \#(x4), "kernelSize": 2, "encoding": "csv"}"#, ["/encoding"])
    }

    func testShapesThatDoNotFitNameTheDimension() {
        let r = api.post("/pool/forward", #"{"input": [[[1, 2, 3]]], "kernelSize": 4}"#)
        XCTAssertEqual(r.status, 422)
        let detail = ServiceCaller.problem(r)?.errors?.first?.detail ?? ""
        XCTAssertTrue(detail.contains("spatial dimension 0") && detail.contains("input size 3"), detail)
        assert422(#"{"input": [[[1, 2, 3]]], "kernelSize": [1], "padding": [2]}"#, ["/padding/0"])
        assert422(#"{"input": [[1, 2, 3]], "kernelSize": 1}"#, ["/input"])
        assert422(#"{"input": [[[1, 2, 3]]], "outputSize": [0]}"#, ["/outputSize/0"])
    }

    func testTensorValuesBeyondTheContract() {
        assert422(#"{"input": [[[1, 2], [3]]], "kernelSize": 1}"#, ["/input/0/1"])
        assert422(#"{"input": [[[1, 1e39]]], "kernelSize": 1}"#, ["/input/0/0/1"])
        assert422(#"{"input": [[[1, 16777217]]], "kernelSize": 1}"#, ["/input/0/0/1"])
        XCTAssertEqual(problems("/pool/forward", #"{"input": [[[1, 16777217]]], "kernelSize": 1, "dtype": "float64"}"#).0, 200)
        assert422(#"{"input": [[[1, "nan"]]], "kernelSize": 1}"#, ["/input/0/0/1"])
        assert422(#"{"input": [[[1, null, true]]], "kernelSize": 1}"#, ["/input/0/0/1", "/input/0/0/2"])
        assert422(#"{"input": {"shape": [1, 1, 3], "data": [1, 2]}, "kernelSize": 1}"#, ["/input/data"])
        assert422(#"{"input": {"shape": [1, 1, 2], "dtype": "float32", "b64": "AACAPw=="}, "kernelSize": 1}"#, ["/input/b64"])
        assert422(#"{"kernelSize": 1}"#, ["/input"])
    }

    func testBackwardRequirements() {
        let g = "[[[[1,2],[3,4]]]]"
        assert422(#"{"kernelSize": 2, "input": \#(x4)}"#, ["/gradOutput"], path: "/pool/backward")
        assert422(#"{"kernelSize": 2, "input": \#(x4), "gradOutput": [[[[1,2,3]]]]}"#, ["/gradOutput"], path: "/pool/backward")
        assert422(#"{"kernelSize": 2, "gradOutput": \#(g)}"#, ["/input"], path: "/pool/backward")
        assert422(#"{"kernelSize": 2, "gradOutput": \#(g), "indices": [[[[5,7],[13,15]]]]}"#, ["/inputShape"], path: "/pool/backward")
        assert422(#"{"kernelSize": 2, "gradOutput": \#(g), "indices": [[[[5,7],[13,15]]]], "inputShape": [1, 1, 4, 4], "ties": "split"}"#,
                  ["/indices"], path: "/pool/backward")
        assert422(#"{"kernelSize": 2, "gradOutput": \#(g), "indices": [[[[5,7],[13,"NaN"]]]], "inputShape": [1, 1, 4, 4]}"#,
                  ["/indices/0/0/1/1"], path: "/pool/backward")
        assert422(#"{"kernelSize": 2, "gradOutput": \#(g), "indices": [[[[5,7],[13,0]]]], "inputShape": [1, 1, 4, 4]}"#,
                  ["/indices/0/0/1/1"], path: "/pool/backward")
        assert422(#"{"kernelSize": 2, "gradOutput": \#(g), "indices": [[[[5,7,1],[13,0,1]]]], "inputShape": [1, 1, 4, 4]}"#,
                  ["/indices"], path: "/pool/backward")
        assert422(#"{"kernelSize": 2, "mode": "lp", "gradOutput": \#(g), "inputShape": [1, 1, 4, 4]}"#, ["/input"], path: "/pool/backward")
        assert422(#"{"kernelSize": 2, "mode": "avg", "gradOutput": \#(g), "indices": [[[[5,7],[13,15]]]], "inputShape": [1, 1, 4, 4]}"#,
                  ["/indices"], path: "/pool/backward")
        assert422(#"{"kernelSize": 2, "gradOutput": \#(g), "input": \#(x4), "return": ["output"]}"#, ["/return"], path: "/pool/backward")
        assert422(#"{"kernelSize": 2, "gradOutput": \#(g), "input": \#(x4), "inputShape": [1, 1, 4, 5]}"#, ["/inputShape"], path: "/pool/backward")
        XCTAssertEqual(problems("/pool/backward", #"{"kernelSize": 2, "mode": "avg", "gradOutput": \#(g), "inputShape": [1, 1, 4, 4]}"#).0, 200)
        XCTAssertEqual(problems("/pool/backward", #"{"kernelSize": 2, "gradOutput": \#(g), "indices": [[[[5,7],[13,15]]]], "inputShape": [1, 1, 4, 4]}"#).0, 200)
    }

    func testSizeLimitsAre413AndNameTheFlag() {
        let small = ServiceCaller(PoolService(limits: Limits(maxElements: 8, maxWork: 100)))
        let tooMany = small.post("/pool/forward", "{\"input\": \(x4), \"kernelSize\": 1}")
        XCTAssertEqual(tooMany.status, 413)
        XCTAssertTrue(ServiceCaller.problem(tooMany)?.errors?.first?.detail.contains("--max-elements") ?? false)
        let work = small.post("/pool/forward", #"{"input": [[[1,2,3,4,5,6,7,8]]], "kernelSize": 1, "padding": 0, "stride": 1, "dilation": 1, "ceilMode": false, "global": false, "mode": "max"}"#)
        XCTAssertEqual(work.status, 200)
        let heavy = small.post("/pool/forward", #"{"input": [[[1,2,3,4,5,6,7,8]]], "kernelSize": 8, "stride": 1, "padding": 7}"#)
        XCTAssertEqual(heavy.status, 413)
        XCTAssertTrue(ServiceCaller.problem(heavy)?.errors?.first?.detail.contains("--max") ?? false)
        let overflow = api.post("/pool/forward", #"{"input": {"shape": [4294967296, 4294967296, 4294967296], "data": [1]}, "kernelSize": 1}"#)
        XCTAssertEqual(overflow.status, 413)
        let b64 = api.post("/pool/forward", #"{"input": {"shape": [1, 1, 99999999999], "dtype": "float32", "b64": ""}, "kernelSize": 1}"#)
        XCTAssertEqual(b64.status, 413)
        // Over a limit and invalid otherwise: 422, listing both.
        let both = api.post("/pool/forward", #"{"input": {"shape": [1, 1, 99999999999], "dtype": "float32", "b64": ""}, "kernelSize": 0}"#)
        XCTAssertEqual(both.status, 422)
        XCTAssertEqual(ServiceCaller.problem(both)?.errors?.count, 2)
    }

    func testDefaultsAndChoices() throws {
        let avg = api.post("/pool/forward", #"{"input": \#(x4), "kernelSize": 2, "mode": "avg", "encoding": "flat"}"#)
        XCTAssertEqual(String(decoding: avg.body, as: UTF8.self), #"{"output":{"shape":[1,1,2,2],"data":[3.5,5.5,11.5,13.5]},"outputShape":[1,1,2,2]}"#)
        let only = api.post("/pool/forward", #"{"input": {"shape": [1, 1, 4], "data": [1, 3, 2, "NaN"]}, "kernelSize": 2, "return": ["indices"], "nan": "ignore"}"#)
        XCTAssertEqual(String(decoding: only.body, as: UTF8.self), #"{"indices":{"shape":[1,1,2],"data":[1,2]},"outputShape":[1,1,2]}"#)
        let f64 = api.post("/pool/forward", #"{"input": [[[0.1, 0.2]]], "kernelSize": 2, "mode": "avg", "dtype": "float64"}"#)
        XCTAssertEqual(String(decoding: f64.body, as: UTF8.self), #"{"output":[[[0.15000000000000002]]],"outputShape":[1,1,1]}"#)
        let f32 = api.post("/pool/forward", #"{"input": [[[0.1, 0.2]]], "kernelSize": 2, "mode": "avg", "return": ["output"]}"#)
        XCTAssertEqual(String(decoding: f32.body, as: UTF8.self), #"{"output":[[[0.15]]],"outputShape":[1,1,1]}"#)
    }

    func testHealthReadinessAndSpec() {
        let service = PoolService()
        let caller = ServiceCaller(service)
        XCTAssertEqual(caller.router.respond(to: Request(method: .get, path: "/healthz")).status, 200)
        XCTAssertEqual(caller.router.respond(to: Request(method: .get, path: "/readyz")).status, 200)
        service.drain()
        XCTAssertEqual(caller.router.respond(to: Request(method: .get, path: "/readyz")).status, 503)
        let spec = caller.router.respond(to: Request(method: .get, path: "/openapi.yaml"))
        XCTAssertTrue(String(decoding: spec.body, as: UTF8.self).hasPrefix("openapi: 3.1"))
    }

    /// `--max-work` weighs a window cell by what its mode costs (WorkCost): the same geometry
    /// fits in max and avg and is 413 in lp, whose cells cost a `pow` each; a backward's lp
    /// weight is larger than its forward's.
    func testMaxWorkWeighsCellsByMode() {
        let small = ServiceCaller(PoolService(limits: Limits(maxElements: 100, maxWork: 100)))
        let input = "[[[1, 2, 3, 4, 5, 6]]]"
        for mode in ["max", "avg"] {
            XCTAssertEqual(small.post("/pool/forward", #"{"mode": "\#(mode)", "kernelSize": 2, "stride": 1, "input": \#(input)}"#).status, 200, mode)
        }
        let lp = small.post("/pool/forward", #"{"mode": "lp", "kernelSize": 2, "stride": 1, "input": \#(input)}"#)
        XCTAssertEqual(lp.status, 413)
        let detail = ServiceCaller.problem(lp)?.errors?.first?.detail ?? ""
        XCTAssertTrue(detail.contains("200 work units") && detail.contains("weight 20") && detail.contains("--max-work"), detail)
        // 6 outputs × 3 cells = 18 units with ties first; × 6 = 108 with ties split.
        XCTAssertEqual(small.post("/pool/forward", #"{"ties": "first", "kernelSize": 3, "stride": 1, "padding": 1, "input": \#(input)}"#).status, 200)
        XCTAssertEqual(small.post("/pool/forward", #"{"ties": "split", "kernelSize": 3, "stride": 1, "padding": 1, "input": \#(input)}"#).status, 413)
        XCTAssertEqual(WorkCost.weight(.lp, ties: nil, .backward), 48)
        XCTAssertEqual(WorkCost.weight(.lp, ties: nil, .both), 68)
        XCTAssertEqual(WorkCost.weight(.max, ties: .split, .forward), 6)
        XCTAssertEqual(WorkCost.weight(.max, ties: .first, .backward), 1)
        // Under a convention's own kernels every cell costs the measured worst of that path:
        // 5 outputs × 2 cells × 160 = 1600 units, where PyTorch's kernels cost 10.
        XCTAssertEqual(small.post("/pool/forward", #"{"kernelSize": 2, "stride": 1, "input": \#(input)}"#).status, 200)
        XCTAssertEqual(small.post("/pool/forward", #"{"kernelSize": 2, "stride": 1, "convention": "onnx", "input": \#(input)}"#).status, 413)
        XCTAssertEqual(WorkCost.weight(.max, ties: nil, .forward, conventionPath: true), WorkCost.conventionWeight)
        XCTAssertEqual(WorkCost.weight(.lp, ties: nil, .both, conventionPath: true), 2 * WorkCost.conventionWeight)
        XCTAssertEqual(WorkCost.weight(.lp, ties: nil, .backward, conventionPath: false), 48)
    }
}
