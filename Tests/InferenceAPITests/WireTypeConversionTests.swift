@testable import InferenceAPI
import TensorJSON
import XCTest

/// The protocol's binary tensor data in every wire type, converted with the one 16-bit
/// implementation (TensorJSON's HalfPrecision).
final class WireTypeConversionTests: XCTestCase {
    func testBinaryConversionsOfEveryWireType() {
        let values: [Float] = [1.5, -2.25, 0.1, 70000, .infinity, -0.0]
        for type in [TensorDataType.fp16, .bf16, .fp32, .fp64] {
            var bytes = [UInt8](repeating: 0, count: values.count * type.byteSize!)
            bytes.withUnsafeMutableBytes { Float.encode(values, as: type, into: $0.baseAddress!) }
            let back = bytes.withUnsafeBytes { Float.decode($0, as: type, count: values.count) }
            guard case .success(let decoded) = back else { return XCTFail("\(type)") }
            XCTAssertEqual(decoded, values.map { TensorDataType.rounded($0, to: type) }, "\(type)")
            let wide = bytes.withUnsafeBytes { Double.decode($0, as: type, count: values.count) }
            XCTAssertEqual(try wide.get(), decoded.map(Double.init), "\(type) as float64")
        }
        XCTAssertEqual(TensorDataType.rounded(70000, to: .fp16), .infinity)
        let big: [Double] = [1e300]
        var bytes = [UInt8](repeating: 0, count: 8)
        bytes.withUnsafeMutableBytes { Double.encode(big, as: .fp64, into: $0.baseAddress!) }
        guard case .failure(let e) = bytes.withUnsafeBytes({ Float.decode($0, as: .fp64, count: 1) }) else { return XCTFail("1e300 fits no float32") }
        XCTAssertTrue(e.message.contains("beyond the range of float32"), e.message)
    }
}
