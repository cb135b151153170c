import Foundation
import InferenceAPI
import PoolCore
import MicroHTTP
import PoolAPI

/// In-process calls of the v2 routes and of the native endpoints, for comparing them.
struct InferCall {
    var router: Router

    init(service: InferenceService = InferenceService()) {
        var router = PoolService().router()
        service.register(in: &router)
        self.router = router
    }

    /// One input tensor: JSON `data`, or binary bytes.
    struct Tensor {
        var name: String
        var shape: [Int]
        var datatype: String
        var json: [Any]?
        var bytes: [UInt8]?

        static func binary<E>(_ name: String, _ values: [E], shape: [Int], _ datatype: String) -> Tensor {
            Tensor(name: name, shape: shape, datatype: datatype, json: nil, bytes: values.withUnsafeBytes { Array($0) })
        }

        static func json(_ name: String, _ values: [Any], shape: [Int], _ datatype: String) -> Tensor {
            Tensor(name: name, shape: shape, datatype: datatype, json: values, bytes: nil)
        }
    }

    /// The answer: status, the JSON header, and each binary output's bytes.
    struct Answer {
        var status: Int
        var header: [String: Any]
        var binary: [String: [UInt8]]
        var response: Response

        var error: String? { header["error"] as? String }

        func output(_ name: String) -> [String: Any]? {
            (header["outputs"] as? [[String: Any]])?.first { $0["name"] as? String == name }
        }

        /// An output's values as Doubles, from JSON data or binary data of its datatype.
        func values(_ name: String) -> [Double]? {
            guard let o = output(name) else { return nil }
            if let data = o["data"] as? [Any] { return data.map(Self.number) }
            guard let bytes = binary[name] else { return nil }
            return bytes.withUnsafeBytes { raw -> [Double] in
                switch o["datatype"] as? String {
                case "FP32": return raw.bindMemory(to: Float.self).map(Double.init)
                case "FP64": return Array(raw.bindMemory(to: Double.self))
                case "INT64": return raw.bindMemory(to: Int64.self).map(Double.init)
                case "FP16": return raw.bindMemory(to: UInt16.self).map { Double(Float(Float16(bitPattern: $0))) }
                case "BF16": return raw.bindMemory(to: UInt16.self).map { Double(Float(bitPattern: UInt32($0) << 16)) }
                default: return []
                }
            }
        }

        static func number(_ v: Any) -> Double {
            if let d = v as? Double { return d }
            if let n = v as? NSNumber { return n.doubleValue }
            switch v as? String {
            case "NaN": return .nan
            case "Infinity": return .infinity
            case "-Infinity": return -.infinity
            default: return .nan
            }
        }
    }

    /// POSTs an infer request; `outputs` names (with binary_data) when given.
    func infer(_ model: String, _ inputs: [Tensor], outputs: [(String, Bool)]? = nil, parameters: [String: Any]? = nil,
               id: String? = nil, contentType: String? = nil, headerLength: ((Int) -> Int)? = nil,
               headerLengthText: ((Int) -> String)? = nil, trailing: [UInt8] = [], truncate: Int = 0) -> Answer {
        var head: [String: Any] = ["inputs": inputs.map { t -> [String: Any] in
            var o: [String: Any] = ["name": t.name, "shape": t.shape, "datatype": t.datatype]
            if let json = t.json { o["data"] = json }
            if let bytes = t.bytes { o["parameters"] = ["binary_data_size": bytes.count] }
            return o
        }]
        if let outputs { head["outputs"] = outputs.map { ["name": $0.0, "parameters": ["binary_data": $0.1]] } }
        if let parameters { head["parameters"] = parameters }
        if let id { head["id"] = id }
        let json = Array(try! JSONSerialization.data(withJSONObject: head))
        let binary = inputs.compactMap(\.bytes).flatMap { $0 }
        var headers: [String: String] = [:]
        if let contentType { headers["content-type"] = contentType }
        if !binary.isEmpty || headerLength != nil { headers["inference-header-content-length"] = String(headerLength?(json.count) ?? json.count) }
        if let headerLengthText { headers["inference-header-content-length"] = headerLengthText(json.count) }
        return send(.post, "/v2/models/\(model)/infer", body: Array((json + binary + trailing).dropLast(truncate)), headers: headers)
    }

    func send(_ method: HTTPMethod, _ path: String, body: [UInt8] = [], headers: [String: String] = [:]) -> Answer {
        let r = router.respond(to: Request(method: method, path: path, headers: headers, body: body))
        let split = r.header("inference-header-content-length").flatMap { Int($0) } ?? r.body.count
        let header = (try? JSONSerialization.jsonObject(with: Data(r.body[0..<split]))) as? [String: Any] ?? [:]
        var binary: [String: [UInt8]] = [:]
        var offset = split
        for o in header["outputs"] as? [[String: Any]] ?? [] {
            guard let size = (o["parameters"] as? [String: Any])?["binary_data_size"] as? Int else { continue }
            binary[o["name"] as! String] = Array(r.body[offset..<(offset + size)])
            offset += size
        }
        return Answer(status: r.status, header: header, binary: binary, response: r)
    }

    /// POSTs a native request and returns its JSON object.
    func native(_ path: String, _ body: [String: Any]) -> (status: Int, json: [String: Any]) {
        let r = router.respond(to: Request(method: .post, path: path, headers: ["content-type": "application/json"],
                                           body: Array(try! JSONSerialization.data(withJSONObject: body))))
        return (r.status, (try? JSONSerialization.jsonObject(with: Data(r.body))) as? [String: Any] ?? [:])
    }

    /// A native response tensor's flat values.
    static func flat(_ tensor: Any?) -> [Double] {
        if let o = tensor as? [String: Any], let data = o["data"] as? [Any] { return data.map(Answer.number) }
        if let a = tensor as? [Any] { return a.flatMap { flat($0) } }
        return tensor.map { [Answer.number($0)] } ?? []
    }
}

/// Deterministic test values.
func sample(_ n: Int, seed: UInt64 = 1) -> [Float] {
    var state = seed
    return (0..<n).map { _ in
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Float(Int(state >> 40) % 2001 - 1000) / 64
    }
}

/// Elementwise equality with NaN equal to NaN.
func same(_ a: [Double]?, _ b: [Double]?) -> Bool {
    guard let a, let b, a.count == b.count else { return false }
    return zip(a, b).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
}
