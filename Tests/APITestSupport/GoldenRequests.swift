import Foundation
import PoolAPI
import PoolCore
import TensorJSON
import TestSupport

/// Builds service requests from golden cases, and reads responses back, through the Codable
/// wire models (so the service's own reader and writer are checked against Foundation's).
public enum GoldenRequests {
    /// The case's parameters as the API's model.
    public static func parameters(_ c: GoldenCase) -> PoolParameters {
        let data = try! JSONEncoder().encode(c.params)
        return try! JSONDecoder().decode(PoolParameters.self, from: data)
    }

    /// A tensor payload of `values` in `encoding` (b64 in the case's dtype, or int64).
    public static func payload(_ values: [Double], shape: [Int], encoding: TensorEncoding, dtype: ElementType) -> TensorPayload {
        switch encoding {
        case .nested: return .nested(values, shape: shape)
        case .flat: return .flat(values, shape: shape)
        case .b64:
            var bytes: [UInt8] = []
            for v in values {
                switch dtype {
                case .float32: withUnsafeBytes(of: Float(v).bitPattern.littleEndian) { bytes += $0 }
                case .float64: withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes += $0 }
                case .int64: withUnsafeBytes(of: Int64(v).littleEndian) { bytes += $0 }
                case .float16: withUnsafeBytes(of: HalfPrecision.float16(Float(v)).littleEndian) { bytes += $0 }
                case .bfloat16: withUnsafeBytes(of: HalfPrecision.bfloat16(Float(v)).littleEndian) { bytes += $0 }
                }
            }
            return .b64(shape: shape, dtype: dtype, b64: Data(bytes).base64EncodedString())
        }
    }

    /// The case's dtype.
    public static func dtype(_ c: GoldenCase) -> ElementType { c.dtype == "float32" ? .float32 : .float64 }

    /// A forward request body.
    public static func forward(_ c: GoldenCase, encoding: TensorEncoding) -> [UInt8] {
        var p = parameters(c)
        p.dtype = c.dtype == "float32" ? .float32 : .float64
        let request = ForwardRequest(parameters: p, input: payload(c.input.data, shape: c.input.shape, encoding: encoding, dtype: dtype(c)))
        return Array(try! JSONEncoder().encode(request))
    }

    /// A backward request body, from the input or (max) from the golden indices.
    public static func backward(_ c: GoldenCase, encoding: TensorEncoding, fromIndices: Bool = false) -> [UInt8] {
        var p = parameters(c)
        p.dtype = c.dtype == "float32" ? .float32 : .float64
        var request = BackwardRequest(parameters: p, gradOutput: payload(c.gradOutput.data, shape: c.gradOutput.shape, encoding: encoding, dtype: dtype(c)))
        if fromIndices, let indices = c.indices {
            request.indices = payload(indices.data, shape: indices.shape, encoding: encoding, dtype: .int64)
            request.inputShape = c.input.shape
        } else {
            request.input = payload(c.input.data, shape: c.input.shape, encoding: encoding, dtype: dtype(c))
        }
        return Array(try! JSONEncoder().encode(request))
    }

    /// Compares `got` with `want` as the case requires: exactly for max, within the golden
    /// tolerance otherwise; float32 values are compared as float32.
    public static func mismatch(_ c: GoldenCase, _ got: [Double], _ want: [Double], exact: Bool) -> String? {
        let g = c.dtype == "float32" ? got.map { Double(Float($0)) } : got
        let w = c.dtype == "float32" ? want.map { Double(Float($0)) } : want
        return exact ? Compare.exact(g, w) : Compare.close(g, w, tolerance: c.tolerance)
    }

    /// Checks a forward response body against the case; returns the first problem found.
    public static func checkForward(_ c: GoldenCase, status: Int, body: [UInt8], encoding: TensorEncoding) -> String? {
        guard status == 200 else { return "status \(status): \(String(decoding: body, as: UTF8.self))" }
        guard let r = try? JSONDecoder().decode(ForwardResponse.self, from: Data(body)) else { return "undecodable response" }
        let isMax = c.params.mode == "max"
        if r.outputShape != c.output.shape { return "outputShape \(r.outputShape)" }
        guard let output = r.output, output.shape == c.output.shape else { return "output shape" }
        if let m = mismatch(c, output.values, c.output.data, exact: isMax) { return "output: \(m)" }
        if !matches(output, encoding) { return "output encoding" }
        if isMax {
            guard let indices = r.indices, let want = c.indices else { return "indices missing" }
            if indices.values != want.data { return "indices \(indices.values) ≠ \(want.data)" }
            guard let mask = r.mask, mask.shape == c.input.shape else { return "mask missing" }
            // Every window selects exactly one cell: the mask counts sum to the number of outputs.
            if mask.values.reduce(0, +) != Double(c.output.data.count) { return "mask sum" }
        } else if r.indices != nil || r.mask != nil {
            return "indices or mask for a non-max mode"
        }
        return nil
    }

    /// Checks a backward response body against the case.
    public static func checkBackward(_ c: GoldenCase, status: Int, body: [UInt8], encoding: TensorEncoding) -> String? {
        guard status == 200 else { return "status \(status): \(String(decoding: body, as: UTF8.self))" }
        guard let r = try? JSONDecoder().decode(BackwardResponse.self, from: Data(body)) else { return "undecodable response" }
        if r.gradInput.shape != c.input.shape { return "gradInput shape \(r.gradInput.shape)" }
        if !matches(r.gradInput, encoding) { return "gradInput encoding" }
        return mismatch(c, r.gradInput.values, c.gradInput.data, exact: c.params.mode == "max").map { "gradInput: \($0)" }
    }

    static func matches(_ t: TensorPayload, _ encoding: TensorEncoding) -> Bool { t.encoding == encoding }
}
