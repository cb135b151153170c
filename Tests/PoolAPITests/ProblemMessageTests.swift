import APITestSupport
import MicroHTTP
import PoolAPI
import PoolCore
import TensorJSON
import XCTest

/// Messages that say what is wrong and where: a limit names its flag only where a flag helps, a
/// too-large output points at the field that sizes it, a number is echoed as it was written.
final class ProblemMessageTests: XCTestCase {
    let api = ServiceCaller()

    private func only(_ r: Response) -> (Int, String, String) {
        let problem = ServiceCaller.problem(r)?.errors?.first
        return (r.status, problem?.pointer ?? "-", problem?.detail ?? "-")
    }

    func testOverflowNamesNoFlag() {
        let big = Int32.max
        // A shape whose element count does not fit 64 bits: too large (413), but no flag helps.
        let shape = only(api.post("/pool/forward", #"{"global": true, "input": {"shape": [\#(big), \#(big), \#(big), 2], "dtype": "float32", "b64": ""}}"#))
        XCTAssertEqual(shape.0, 413, shape.2)
        XCTAssertEqual(shape.1, "/input")
        XCTAssertFalse(shape.2.contains("--max"), shape.2)
        // Window cells that do not fit 64 bits.
        let cells = only(api.post("/pool/forward", #"{"kernelSize": [\#(big), \#(big), \#(big)], "stride": \#(big), "padding": \#(big - 1), "input": [[[[[1]]]]]}"#))
        XCTAssertEqual(cells.0, 422, cells.2)
        XCTAssertEqual(cells.1, "/kernelSize")
        XCTAssertTrue(cells.2.contains("overflow") && !cells.2.contains("--max"), cells.2)
        // The same in a backward from an input shape.
        let backward = only(api.post("/pool/backward", #"{"mode": "avg", "global": true, "inputShape": [\#(big), \#(big), \#(big), 2], "gradOutput": [[[[1]]]]}"#))
        XCTAssertEqual(backward.0, 413, backward.2)
        XCTAssertFalse(backward.2.contains("--max"), backward.2)
        XCTAssertEqual(backward.1, "/inputShape")
    }

    func testATooLargeOutputPointsAtTheFieldThatSizesIt() {
        let small = ServiceCaller(PoolService(limits: Limits(maxElements: 100, maxWork: .max)))
        let adaptive = only(small.post("/pool/forward", #"{"outputSize": 1000, "input": [[[1, 2, 3]]]}"#))
        XCTAssertEqual(adaptive.0, 413)
        XCTAssertEqual(adaptive.1, "/outputSize")
        XCTAssertTrue(adaptive.2.contains("--max-elements"), adaptive.2)
        let padded = only(small.post("/pool/forward", #"{"kernelSize": 1, "padding": 500, "input": [[[1, 2, 3]]]}"#))
        XCTAssertEqual(padded.0, 413)
        XCTAssertEqual(padded.1, "/padding")
        let strided = only(small.post("/pool/forward", #"{"kernelSize": 3, "stride": 1, "padding": 2, "dilation": 1, "input": {"shape": [1, 1, 99], "data": [\#((0..<99).map(String.init).joined(separator: ","))]}}"#))
        XCTAssertEqual(strided.0, 413)
        XCTAssertEqual(strided.1, "/padding")
        let work = only(ServiceCaller(PoolService(limits: Limits(maxElements: 1000, maxWork: 10))).post("/pool/forward", #"{"kernelSize": 3, "stride": 1, "input": [[[1, 2, 3, 4, 5, 6]]]}"#))
        XCTAssertEqual(work.0, 413)
        XCTAssertEqual(work.1, "/kernelSize")
        XCTAssertTrue(work.2.contains("--max-work"), work.2)
    }

    func testNumbersAreEchoedAsWritten() {
        let (status, pointer, detail) = only(api.post("/pool/forward", #"{"mode": "lp", "p": 1e400, "kernelSize": 1, "input": [[[1]]]}"#))
        XCTAssertEqual(status, 422)
        XCTAssertEqual(pointer, "/p")
        XCTAssertEqual(detail, "must be a finite number, got 1e400")
        let long = String(repeating: "7", count: 1_000_000)
        let r = api.post("/pool/forward", #"{"kernelSize": \#(long), "input": [[[1]]]}"#)
        XCTAssertEqual(r.status, 422)
        XCTAssertLessThan(r.body.count, 1_000)
    }

    func testEmptyTensorsAreWrittenAsEmptyArrays() {
        XCTAssertEqual(String(decoding: TensorCodec.write([Float](), shape: [0], encoding: .flat), as: UTF8.self), #"{"shape":[0],"data":[]}"#)
        XCTAssertEqual(String(decoding: TensorCodec.write([Float](), shape: [2, 0], encoding: .nested), as: UTF8.self), "[[],[]]")
        XCTAssertEqual(String(decoding: TensorCodec.write([Double](), shape: [0], encoding: .b64), as: UTF8.self), #"{"shape":[0],"dtype":"float64","b64":""}"#)
    }
}
