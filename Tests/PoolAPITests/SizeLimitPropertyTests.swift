import APITestSupport
import Foundation
import PoolAPI
import PoolCore
import TensorJSON
import TestSupport
import XCTest

/// Every size that comes from a client's numbers — `inputShape`, `outputSize`, `kernelSize`,
/// `stride`, `padding`, `dilation`, tensor shapes in every form, and the outputs they imply — is
/// held to the limits before anything is allocated: random shapes in every field get 200, 413 or
/// 422, never a crash, and an answer never carries a tensor past the limit.
final class SizeLimitPropertyTests: XCTestCase {
    let limits = Limits(maxElements: 4096, maxWork: 100_000)

    /// A size drawn to hit the edges: small, near a power of two, near Int32.max, past it.
    private func size(_ rng: inout SeededRandom) -> Int {
        switch rng.next() % 6 {
        case 0: return 1 + Int(rng.next() % 4)
        case 1: return 1 << Int(rng.next() % 31)
        case 2: return Int(Int32.max) - Int(rng.next() % 3)
        case 3: return 1_048_576
        case 4: return Int(rng.next() % 70_000)
        default: return Int(rng.next() % 9)
        }
    }

    private func list(_ rng: inout SeededRandom, _ d: Int) -> String {
        rng.next() % 3 == 0 ? String(size(&rng)) : "[" + (0..<d).map { _ in String(size(&rng)) }.joined(separator: ",") + "]"
    }

    private func shape(_ rng: inout SeededRandom, rank: Int) -> [Int] { (0..<rank).map { _ in size(&rng) } }

    func testRandomShapesInEveryFieldNeverPassTheLimits() {
        let api = ServiceCaller(PoolService(limits: limits))
        var rng = SeededRandom(seed: 2024)
        var statuses: [Int: Int] = [:]
        for _ in 0..<3000 {
            let d = 1 + Int(rng.next() % 3)
            let mode = ["max", "avg", "lp"][Int(rng.next() % 3)]
            var fields = ["\"mode\": \"\(mode)\""]
            switch rng.next() % 3 {
            case 0: fields.append("\"outputSize\": \(list(&rng, d))")
            case 1: fields.append("\"global\": true")
            default:
                fields.append("\"kernelSize\": \(list(&rng, d))")
                if rng.next() % 2 == 0 { fields.append("\"stride\": \(list(&rng, d))") }
                if rng.next() % 2 == 0 { fields.append("\"padding\": \(list(&rng, d))") }
                if rng.next() % 3 == 0 { fields.append("\"dilation\": \(list(&rng, d))") }
                if rng.next() % 2 == 0 { fields.append("\"ceilMode\": true") }
            }
            let inShape = shape(&rng, rank: d + 2)
            let count = inShape.reduce(1) { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }
            let small = count >= 1 && count <= 64
            let data = small ? "[" + Array(repeating: "1", count: count).joined(separator: ",") + "]" : "[1]"
            let form = rng.next() % 3
            let input = form == 0 ? "{\"shape\": \(inShape), \"data\": \(data)}"
                : form == 1 ? "{\"shape\": \(inShape), \"dtype\": \"float32\", \"b64\": \"AACAPw==\"}"
                : small ? TensorSketch.nested(inShape) : "[[[1]]]"
            let gradShape = shape(&rng, rank: d + 2)
            let grad = "{\"shape\": \(gradShape), \"data\": [1]}"
            let path: String
            var body: String
            switch rng.next() % 4 {
            case 0:
                path = "/pool/forward"
                body = "{\(fields.joined(separator: ", ")), \"input\": \(input)}"
            case 1:
                path = "/pool/backward"
                body = "{\(fields.joined(separator: ", ")), \"inputShape\": \(inShape), \"gradOutput\": \(grad)}"
            case 2:
                path = "/pool/backward"
                body = "{\(fields.joined(separator: ", ")), \"inputShape\": \(inShape), \"gradOutput\": \(grad), \"indices\": \(grad)}"
            default:
                path = "/pool/backward"
                body = "{\(fields.joined(separator: ", ")), \"input\": \(input), \"gradOutput\": \(grad)}"
            }
            let r = api.post(path, body)
            statuses[r.status, default: 0] += 1
            XCTAssertTrue([200, 413, 422].contains(r.status), "\(r.status) for \(body)")
            if r.status == 200 {
                // Every tensor of an answer stays within the element limit.
                let text = String(decoding: r.body, as: UTF8.self)
                XCTAssertLessThan(r.body.count, 40 * limits.maxElements + 1000, text.prefix(200).description)
            }
        }
        // The draw reaches every kind of answer, so the property is not vacuous.
        XCTAssertGreaterThan(statuses[413, default: 0], 100, "\(statuses)")
        XCTAssertGreaterThan(statuses[422, default: 0], 100, "\(statuses)")
        XCTAssertGreaterThan(statuses[200, default: 0], 20, "\(statuses)")
    }

    /// The request of issue 9 that killed the process: a 2^40-cell gradInput from a 1-cell output.
    func testAHugeInputShapeWithATinyOutputIsRefused() {
        let api = ServiceCaller(PoolService())
        for extra in ["", ", \"indices\": [[[[0]]]]"] {
            let mode = extra.isEmpty ? "avg" : "max"
            let body = #"{"mode":"\#(mode)","kernelSize":1,"stride":2147483647,"inputShape":[1,1,1048576,1048576],"gradOutput":[[[[1]]]]\#(extra)}"#
            let r = api.post("/pool/backward", body)
            XCTAssertEqual(r.status, 413, String(decoding: r.body, as: UTF8.self))
            XCTAssertEqual(ServiceCaller.problem(r)?.errors?.first?.pointer, "/inputShape")
            XCTAssertTrue(ServiceCaller.problem(r)?.errors?.first?.detail.contains("--max-elements") ?? false)
        }
    }
}

/// Nested-array text of a tensor of ones.
enum TensorSketch {
    static func nested(_ shape: [Int]) -> String {
        guard let n = shape.first else { return "1" }
        return "[" + Array(repeating: nested(Array(shape.dropFirst())), count: n).joined(separator: ",") + "]"
    }
}
