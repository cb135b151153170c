import APITestSupport
import Foundation
import InferenceAPI
import MicroHTTP
import PoolAPI
import PoolCore
import TensorJSON
import TestSupport
import XCTest

/// Every golden fixture through every front end and form — the native API's nested, flat and
/// b64 tensors, the Open Inference Protocol's JSON and binary data — must give the same numbers
/// bit for bit (the native flat answer is also held to the fixture): one core behind them all.
final class FrontEndParityTests: XCTestCase {
    let router: Router = {
        var router = PoolService().router()
        InferenceService().register(in: &router)
        return router
    }()

    /// What one form answered, as flat values.
    struct Answer: Equatable {
        var output: [Double]?, indices: [Double]?, mask: [Double]?, gradInput: [Double]?

        static func == (a: Answer, b: Answer) -> Bool {
            same(a.output, b.output) && same(a.indices, b.indices) && same(a.mask, b.mask) && same(a.gradInput, b.gradInput)
        }

        /// The values as float32 holds them (a float32 case's text and binary forms then compare bit for bit).
        var asFloat32: Answer {
            func f(_ v: [Double]?) -> [Double]? { v?.map { Double(Float($0)) } }
            return Answer(output: f(output), indices: indices, mask: f(mask), gradInput: f(gradInput))
        }

        static func same(_ a: [Double]?, _ b: [Double]?) -> Bool {
            guard let a, let b else { return a == nil && b == nil }
            return a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }
        }
    }

    func testEveryGoldenCaseGivesTheSameNumbersThroughEveryFrontEndAndForm() {
        let cases = (Golden.cases + Golden.extendedCases).filter { $0.wireDtype == nil }
        XCTAssertGreaterThan(cases.count, 300)
        for c in cases {
            let single = c.dtype == "float32"
            func held(_ a: Answer) -> Answer { single ? a.asFloat32 : a }
            let flat = native(c, .flat)
            XCTAssertNil(GoldenRequests.checkForward(c, status: flat.forwardStatus, body: flat.forwardBody, encoding: .flat), "\(c.name) native flat")
            for encoding in [TensorEncoding.nested, .b64] {
                XCTAssertEqual(held(native(c, encoding).answer), held(flat.answer), "\(c.name) native \(encoding)")
            }
            for binary in [false, true] {
                XCTAssertEqual(held(oip(c, binary: binary, fromIndices: false)), held(flat.answer), "\(c.name) OIP \(binary ? "binary" : "JSON")")
                if c.params.mode == "max" {
                    let fromIndices = oip(c, binary: binary, fromIndices: true)
                    XCTAssertTrue(Answer.same(held(fromIndices).gradInput, held(flat.answer).gradInput), "\(c.name) OIP backward from INDICES \(binary)")
                }
            }
        }
    }

    // MARK: the native API

    private func native(_ c: GoldenCase, _ encoding: TensorEncoding) -> (answer: Answer, forwardStatus: Int, forwardBody: [UInt8]) {
        let f = post("/pool/forward", GoldenRequests.forward(c, encoding: encoding))
        let b = post("/pool/backward", GoldenRequests.backward(c, encoding: encoding))
        let forward = try? JSONDecoder().decode(ForwardResponse.self, from: Data(f.body))
        let backward = try? JSONDecoder().decode(BackwardResponse.self, from: Data(b.body))
        return (Answer(output: forward?.output?.values, indices: forward?.indices?.values, mask: forward?.mask?.values,
                       gradInput: backward?.gradInput.values), f.status, f.body)
    }

    // MARK: the Open Inference Protocol

    /// The generic `pool` model with the case's parameters as request parameters (lists as
    /// JSON text), INPUT and GRAD_OUTPUT (or INDICES and `input_shape`) as JSON or binary data.
    private func oip(_ c: GoldenCase, binary: Bool, fromIndices: Bool) -> Answer {
        var p = GoldenRequests.parameters(c)
        p.dtype = c.dtype == "float32" ? .float32 : .float64
        let encoded = try! JSONParser.parse(Array(try! JSONEncoder().encode(p)))
        var parameters: [String] = []
        if case .object(let o) = encoded.root {
            for (key, value) in o.members {
                switch value {
                case .array, .object:
                    let text = String(decoding: try! JSONSerialization.data(withJSONObject: Self.foundation(value, encoded)), as: UTF8.self)
                    parameters.append("\(quote(key)):\(quote(text))")
                case .string(let s): parameters.append("\(quote(key)):\(quote(s))")
                case .bool(let b): parameters.append("\(quote(key)):\(b)")
                case .number(let n): parameters.append("\(quote(key)):\(encoded.text(of: n))")
                case .null: break
                }
            }
        }
        let type = c.dtype == "float32" ? "FP32" : "FP64"
        var inputs: [(name: String, shape: [Int], type: String, values: [Double])] = []
        if fromIndices, let indices = c.indices {
            parameters.append("\"input_shape\":\(quote("\(c.input.shape)"))")
            inputs.append(("INDICES", indices.shape, "INT64", indices.data))
        } else {
            inputs.append(("INPUT", c.input.shape, type, c.input.data))
        }
        inputs.append(("GRAD_OUTPUT", c.gradOutput.shape, type, c.gradOutput.data))
        var data: [UInt8] = []
        let described = inputs.map { t -> String in
            var head = "{\"name\":\(quote(t.name)),\"shape\":\(t.shape),\"datatype\":\(quote(t.type))"
            if binary {
                let bytes = Self.bytes(t.values, t.type)
                data += bytes
                head += ",\"parameters\":{\"binary_data_size\":\(bytes.count)}}"
            } else {
                head += ",\"data\":[" + t.values.map { t.type == "INT64" ? String(Int64($0)) : text($0) }.joined(separator: ",") + "]}"
            }
            return head
        }
        let outputs = (fromIndices ? ["GRAD_INPUT"] : c.params.mode == "max" ? ["OUTPUT", "INDICES", "MASK", "GRAD_INPUT"] : ["OUTPUT", "GRAD_INPUT"])
            .map { "{\"name\":\"\($0)\",\"parameters\":{\"binary_data\":\(binary)}}" }
        let header = Array(("{\"inputs\":[" + described.joined(separator: ",") + "],\"outputs\":[" + outputs.joined(separator: ",")
            + "],\"parameters\":{" + parameters.joined(separator: ",") + "}}").utf8)
        let r = router.respond(to: Request(method: .post, path: "/v2/models/pool/infer",
                                           headers: ["inference-header-content-length": String(header.count)], body: header + data))
        XCTAssertEqual(r.status, 200, "\(c.name): \(String(decoding: r.body.prefix(400), as: UTF8.self))")
        return Self.read(r)
    }

    /// The response's outputs as flat values (bare NaN and ±Infinity in JSON data, as Triton writes them).
    private static func read(_ r: Response) -> Answer {
        let split = r.header("inference-header-content-length").flatMap { Int($0) } ?? r.body.count
        guard let document = try? JSONParser.parse(Array(r.body[0..<split]), limits: InferenceRequest.parseLimits),
              case .object(let root) = document.root, let items = root["outputs"]?.items else { return Answer() }
        var answer = Answer()
        var offset = split
        for item in items {
            guard case .object(let o) = item, case .string(let name)? = o["name"], case .string(let type)? = o["datatype"] else { continue }
            var values: [Double] = []
            if let data = o["data"] {
                var problems = ProblemList()
                values = TensorCodec.read(data, in: document, at: .root, maxElements: .max, as: Double.self, problems: &problems)?.values ?? []
            } else if case .object(let p)? = o["parameters"], case .number(let n)? = p["binary_data_size"], let size = Int(document.text(of: n)) {
                values = r.body[offset..<(offset + size)].withUnsafeBytes { raw in
                    switch type {
                    case "FP32": return raw.loadUnalignedArray(Float.self).map { Double($0) }
                    case "INT64": return raw.loadUnalignedArray(Int64.self).map { Double($0) }
                    default: return raw.loadUnalignedArray(Double.self)
                    }
                }
                offset += size
            }
            switch name {
            case "OUTPUT": answer.output = values
            case "INDICES": answer.indices = values
            case "MASK": answer.mask = values
            case "GRAD_INPUT": answer.gradInput = values
            default: break
            }
        }
        return answer
    }

    private static func bytes(_ values: [Double], _ type: String) -> [UInt8] {
        switch type {
        case "FP32": return values.map { Float($0) }.withUnsafeBytes { Array($0) }
        case "INT64": return values.map { Int64($0) }.withUnsafeBytes { Array($0) }
        default: return values.withUnsafeBytes { Array($0) }
        }
    }

    private func post(_ path: String, _ body: [UInt8]) -> Response {
        router.respond(to: Request(method: .post, path: path, headers: ["content-type": "application/json"], body: body))
    }

    private func quote(_ s: String) -> String { TensorJSON.JSONString.quoted(s) }

    /// A number as Python's `json` writes it: shortest digits, bare NaN and ±Infinity.
    private func text(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v < 0 ? "-Infinity" : "Infinity" }
        return "\(v)"
    }
}

extension FrontEndParityTests {
    /// A parsed value as Foundation's JSON objects (numbers as their exact text's Double).
    static func foundation(_ value: JSONValue, _ document: JSONDocument) -> Any {
        switch value {
        case .null: return NSNull()
        case .bool(let b): return b
        case .number(let n): return Double(document.text(of: n))!
        case .string(let s): return s
        case .array: return (value.items ?? []).map { foundation($0, document) }
        case .object(let o): return Dictionary(o.members.map { ($0.key, foundation($0.value, document)) }, uniquingKeysWith: { a, _ in a })
        }
    }
}

extension UnsafeRawBufferPointer {
    /// The buffer's bytes as values of `E` (any alignment).
    func loadUnalignedArray<E>(_: E.Type) -> [E] {
        (0..<(count / MemoryLayout<E>.stride)).map { loadUnaligned(fromByteOffset: $0 * MemoryLayout<E>.stride, as: E.self) }
    }
}
