import APITestSupport
import Foundation
import PoolAPI
import PoolCore
import TensorJSON
import TestSupport
import XCTest

/// float16 and bfloat16 tensors: every bit pattern survives the wire both ways, and pooling on
/// them gives PyTorch's numbers on `.half()` / `.bfloat16()` inputs, answered in the same type.
final class HalfPrecisionTests: XCTestCase {
    func testEveryBitPatternRoundTrips() throws {
        for type in [ElementType.float16, .bfloat16] {
            let patterns = (0..<65536).map { UInt16($0).littleEndian }
            let b64 = patterns.withUnsafeBytes { Data($0).base64EncodedString() }
            let text = #"{"shape": [65536], "dtype": "\#(type.rawValue)", "b64": "\#(b64)"}"#
            let values = try TensorCodec.read(Array(text.utf8), as: Float.self).values
            var w = JSONWriter()
            TensorWriter.write(values, shape: [65536], encoding: .b64, as: type, into: &w)
            let written = String(decoding: w.bytes, as: UTF8.self)
            let writtenB64 = written.split(separator: "\"").dropLast().last.map(String.init) ?? ""
            let writtenBits = Data(base64Encoded: writtenB64).map { [UInt8]($0) } ?? []
            let want = patterns.withUnsafeBytes { [UInt8]($0) }
            let firstDiff = zip(writtenBits, want).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            XCTAssertNil(firstDiff.map { "pattern \($0 / 2): \(writtenBits[$0 & ~1]),\(writtenBits[$0 | 1])" }, "\(type) b64 differs")
            XCTAssertEqual(writtenBits.count, want.count)
            // Text forms carry the same values.
            var t = JSONWriter()
            TensorWriter.write(values, shape: [65536], encoding: .flat, as: type, into: &t)
            let back = try TensorCodec.read(t.bytes, as: Float.self).values
            // (Text has one NaN: "NaN".)
            XCTAssertEqual(back.map { $0.isNaN ? Float.nan.bitPattern : $0.bitPattern }, values.map { $0.isNaN ? Float.nan.bitPattern : $0.bitPattern }, "\(type) flat")
        }
    }

    func testRoundingAndOverflowAsPyTorch() {
        // 65520 is past float16's largest (65504) at half an ulp: rounds to Infinity, as .half() does.
        XCTAssertEqual(HalfPrecision.float16(65520), Float16.infinity.bitPattern)
        XCTAssertEqual(HalfPrecision.float16(65519), Float16(65504).bitPattern)
        XCTAssertEqual(HalfPrecision.bfloat16(.greatestFiniteMagnitude), 0x7F80) // +Infinity
        XCTAssertEqual(HalfPrecision.bfloat16(Float(bitPattern: 0x3F80_8000)), 0x3F80) // tie to even
        XCTAssertEqual(HalfPrecision.bfloat16(Float(bitPattern: 0x3F81_8000)), 0x3F82)
        XCTAssertTrue(HalfPrecision.float(bfloat16: HalfPrecision.bfloat16(Float(bitPattern: 0x7F80_0001))).isNaN)
        XCTAssertEqual(Double.halfBits(1 + 0x1p-8 + 0x1p-30, .bfloat16), 0x3F81) // above the tie: up, not to even
    }

    func testGoldenPyTorchHalfCases() {
        let api = ServiceCaller()
        for c in Golden.load("pytorch-half.json") {
            guard let wire = c.wireDtype.flatMap(ElementType.init(rawValue:)) else { XCTFail("\(c.name) has no wireDtype"); continue }
            var p = GoldenRequests.parameters(c)
            p.dtype = .float32
            let input = GoldenRequests.payload(c.input.data, shape: c.input.shape, encoding: .b64, dtype: wire)
            let forward = api.post("/pool/forward", Array(try! JSONEncoder().encode(ForwardRequest(parameters: p, input: input))))
            guard forward.status == 200, let r = try? JSONDecoder().decode(ForwardResponse.self, from: Data(forward.body)) else {
                XCTFail("\(c.name): \(forward.status) \(String(decoding: forward.body, as: UTF8.self))"); continue
            }
            XCTAssertEqual(r.output?.dtype, wire, c.name)
            let exact = c.params.mode == "max"
            XCTAssertNil(mismatch(r.output?.values ?? [], c.output.data, exact: exact, wire), "\(c.name) output")
            if exact { XCTAssertEqual(r.indices?.values, c.indices?.data, "\(c.name) indices") }
            var back = BackwardRequest(parameters: p, gradOutput: GoldenRequests.payload(c.gradOutput.data, shape: c.gradOutput.shape, encoding: .b64, dtype: wire))
            back.input = input
            let b = api.post("/pool/backward", Array(try! JSONEncoder().encode(back)))
            guard b.status == 200, let g = try? JSONDecoder().decode(BackwardResponse.self, from: Data(b.body)) else {
                XCTFail("\(c.name) backward: \(b.status) \(String(decoding: b.body, as: UTF8.self))"); continue
            }
            XCTAssertEqual(g.gradInput.dtype, wire, c.name)
            XCTAssertNil(mismatch(g.gradInput.values, c.gradInput.data, exact: exact, wire), "\(c.name) gradInput")
        }
    }

    /// Exact, or within one unit in the last place of the 16-bit type (avg rounds its float32 sum once).
    private func mismatch(_ got: [Double], _ want: [Double], exact: Bool, _ wire: ElementType) -> String? {
        guard got.count == want.count else { return "count \(got.count) ≠ \(want.count)" }
        for (k, (a, b)) in zip(got, want).enumerated() {
            if a == b || (a.isNaN && b.isNaN) { continue }
            if !exact {
                let bitsA = Float.halfBits(Float(a), wire), bitsB = Float.halfBits(Float(b), wire)
                if Swift.abs(Int(bitsA) - Int(bitsB)) <= 1 && (a.sign == b.sign) { continue }
            }
            return "element \(k): got \(a), want \(b)"
        }
        return nil
    }
}
