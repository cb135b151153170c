import Foundation
@testable import TensorJSON
import TestSupport
import XCTest

/// A request holding one tensor.
private struct Holder: Decodable { let input: TensorPayload? }

/// Reading tensors in the three forms, and writing then reading back bit for bit.
final class TensorCodecTests: XCTestCase {
    /// Reads `text` as the member `input` of a request, through the document decoder and the
    /// payload's typed read, as the service does.
    private func read<T: TensorElement>(_ text: String, as: T.Type, maxElements: Int = 1 << 24) -> (DecodedTensor<T>?, ProblemList) {
        let doc = try! JSONParser.parse(Array("{\"input\": \(text)}".utf8))
        var (holder, problems) = JSONDocumentDecoder(maxElements: maxElements).decode(Holder.self, from: doc)
        guard let payload = holder?.input, let values = payload.read(T.self, problems: &problems) else { return (nil, problems) }
        return (DecodedTensor(shape: payload.shape, values: values, encoding: payload.encoding), problems)
    }

    func testTheThreeForms() {
        let nested = read("[[[1, 2], [3, \"NaN\"]]]", as: Float.self).0
        XCTAssertEqual(nested?.shape, [1, 2, 2])
        XCTAssertEqual(nested?.encoding, .nested)
        XCTAssertEqual(nested?.values.prefix(3), [1, 2, 3])
        XCTAssertTrue(nested?.values[3].isNaN ?? false)
        let flat = read(#"{"shape": [2, 1], "data": [-1.5, "-Infinity"]}"#, as: Double.self).0
        XCTAssertEqual(flat?.values, [-1.5, -.infinity])
        // 1.0f, 2.0f little-endian.
        let b64 = read(#"{"shape": [2], "dtype": "float32", "b64": "AACAPwAAAEA="}"#, as: Float.self).0
        XCTAssertEqual(b64?.values, [1, 2])
        XCTAssertEqual(b64?.encoding, .b64)
        let widened = read(#"{"shape": [2], "dtype": "float32", "b64": "AACAPwAAAEA="}"#, as: Double.self).0
        XCTAssertEqual(widened?.values, [1, 2])
    }

    func testProblemsCarryPointers() {
        XCTAssertEqual(read("[[1, 2], [3]]", as: Float.self).1.problems.first?.pointer, "/input/1")
        XCTAssertEqual(read("[[1, 2], [3, \"x\"]]", as: Float.self).1.problems.first?.pointer, "/input/1/1")
        XCTAssertEqual(read("[[1, 2], [3, [4]]]", as: Float.self).1.problems.first?.pointer, "/input/1/1")
        XCTAssertEqual(read(#"{"shape": [3], "data": [1, 2]}"#, as: Float.self).1.problems.first?.pointer, "/input/data")
        XCTAssertEqual(read(#"{"shape": [2], "data": [1, 1e39]}"#, as: Float.self).1.problems.first?.pointer, "/input/data/1")
        XCTAssertEqual(read(#"{"shape": [2], "data": [1, 2], "extra": 1}"#, as: Float.self).1.problems.first?.pointer, "/input/extra")
        XCTAssertEqual(read(#"{"shape": [0], "data": []}"#, as: Float.self).1.problems.first?.pointer, "/input/shape/0")
        XCTAssertEqual(read(#"{"shape": [2], "dtype": "float32", "b64": "AACAPw=="}"#, as: Float.self).1.problems.first?.pointer, "/input/b64")
        XCTAssertEqual(read(#"{"shape": [1], "dtype": "float32", "b64": "AAC!Pw=="}"#, as: Float.self).1.problems.first?.pointer, "/input/b64")
        XCTAssertEqual(read("[[\"NaN\"]]", as: Int64.self).1.problems.first?.pointer, "/input/0/0")
        XCTAssertEqual(read("[]", as: Float.self).1.problems.first?.pointer, "/input")
        XCTAssertEqual(read("17", as: Float.self).1.problems.first?.pointer, "/input")
    }

    func testElementLimitIsCheckedBeforeAllocation() {
        let (t, problems) = read(#"{"shape": [4294967296, 4294967296, 4294967296], "data": []}"#, as: Float.self)
        XCTAssertNil(t)
        XCTAssertTrue(problems.tooLarge)
        XCTAssertTrue(read(#"{"shape": [5], "data": [1,2,3,4,5]}"#, as: Float.self, maxElements: 4).1.tooLarge)
        XCTAssertFalse(read(#"{"shape": [4], "data": [1,2,3,4]}"#, as: Float.self, maxElements: 4).1.tooLarge)
    }

    /// Random bit patterns, subnormals, ±0 and the extremes survive write-then-read exactly in
    /// every encoding.
    func testRoundTripIsBitExact() {
        var rng = SeededRandom(seed: 99)
        var floats: [Float] = [0, -0.0, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude,
                               .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 1, 0.1, .infinity, -.infinity]
        var doubles: [Double] = [0, -0.0, .leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude,
                                 -.greatestFiniteMagnitude, 0.1, 1e23, 5e-324, .infinity]
        while floats.count < 4000 {
            let f = Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()))
            if !f.isNaN { floats.append(f) }
        }
        while doubles.count < 4000 {
            let d = Double(bitPattern: rng.next())
            if !d.isNaN { doubles.append(d) }
        }
        for encoding in TensorEncoding.allCases {
            var w = JSONWriter()
            TensorWriter.write(floats, shape: [floats.count], encoding: encoding, into: &w)
            let backF = read(String(decoding: w.bytes, as: UTF8.self), as: Float.self).0?.values ?? []
            XCTAssertEqual(backF.map(\.bitPattern), floats.map(\.bitPattern), "float32 \(encoding)")
            var w2 = JSONWriter()
            TensorWriter.write(doubles, shape: [doubles.count], encoding: encoding, into: &w2)
            let backD = read(String(decoding: w2.bytes, as: UTF8.self), as: Double.self).0?.values ?? []
            XCTAssertEqual(backD.map(\.bitPattern), doubles.map(\.bitPattern), "float64 \(encoding)")
        }
    }

    /// Large tensors are written in parallel chunks; the joined text must be the same tensor.
    func testLargeTensorsSurviveTheParallelWriter() throws {
        var rng = SeededRandom(seed: 12)
        for shape in [[2, 3, 4, 5, 300], [40_000], [1, 1, 33_000], [7, 9, 1, 600]] {
            let values = (0..<shape.reduce(1, *)).map { _ in Float.random(in: -3...3, using: &rng).rounded(.towardZero) * 1.5 }
            for encoding in TensorEncoding.allCases {
                let text = TensorCodec.write(values, shape: shape, encoding: encoding)
                XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(text)), "\(shape) \(encoding) is valid JSON")
                let back = try TensorCodec.readFloat32(text)
                XCTAssertEqual(back.shape, shape, "\(encoding)")
                XCTAssertEqual(back.values, values, "\(shape) \(encoding)")
            }
        }
    }

    func testWriterForms() {
        var w = JSONWriter()
        TensorWriter.write([1, 2.5, -3, .nan] as [Float], shape: [2, 2], encoding: .nested, into: &w)
        XCTAssertEqual(String(decoding: w.bytes, as: UTF8.self), #"[[1,2.5],[-3,"NaN"]]"#)
        var f = JSONWriter()
        TensorWriter.write([5, -7] as [Int64], shape: [1, 2], encoding: .flat, into: &f)
        XCTAssertEqual(String(decoding: f.bytes, as: UTF8.self), #"{"shape":[1,2],"data":[5,-7]}"#)
        var b = JSONWriter()
        TensorWriter.write([1, 2] as [Float], shape: [2], encoding: .b64, into: &b)
        XCTAssertEqual(String(decoding: b.bytes, as: UTF8.self), #"{"shape":[2],"dtype":"float32","b64":"AACAPwAAAEA="}"#)
    }
}
