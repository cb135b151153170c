import InferenceAPI
import MicroHTTP
import PoolAPI
import PoolCore

/// One input of the fuzz target through every front end in process: as a native body to both
/// pooling endpoints, and as an Open Inference Protocol body (JSON, and with binary framing: the
/// first two bytes, little-endian, are the `Inference-Header-Content-Length` of the rest) to
/// the generic layer and a fixed one. Any 5xx, or an error not in the route's own error format,
/// is a finding. The fuzzer (`poolserve-fuzz`) and the regression test share it.
public struct FuzzHarness: Sendable {
    /// Small limits, so that valid inputs stay quick while the fuzzer runs.
    public static let limits = Limits(maxElements: 4096, maxWork: 1_000_000)
    let router: Router

    /// The service's routes under ``limits``.
    public init() {
        var router = PoolService(limits: Self.limits).router()
        InferenceService(limits: Self.limits).register(in: &router)
        self.router = router
    }

    /// What is wrong with the answers to `body`, or nil when every answer is a 2xx or a 4xx in
    /// its route's error format.
    public func finding(_ body: [UInt8]) -> String? {
        for path in ["/pool/forward", "/pool/backward"] {
            let request = Request(method: .post, path: path, headers: ["content-type": "application/json"], body: body)
            if let problem = Self.check(router.respond(to: request), path, errorPrefix: "{\"type\":") { return problem }
        }
        var requests = [("/v2/models/pool/infer", [String: String](), body), ("/v2/models/maxpool2d_k2s2/infer", [:], body)]
        if body.count >= 2 {
            let length = Int(body[0]) | Int(body[1]) << 8
            requests.append(("/v2/models/pool/infer", ["inference-header-content-length": String(length)], Array(body.dropFirst(2))))
        }
        for (path, headers, payload) in requests {
            let request = Request(method: .post, path: path, headers: headers, body: payload)
            if let problem = Self.check(router.respond(to: request), path, errorPrefix: "{\"error\":") { return problem }
        }
        return nil
    }

    private static func check(_ response: Response, _ path: String, errorPrefix: String) -> String? {
        if response.status >= 500 || response.status < 200 {
            return "status \(response.status) for \(path): \(String(decoding: response.body.prefix(400), as: UTF8.self))"
        }
        if response.status >= 400 && !response.body.starts(with: Array(errorPrefix.utf8)) {
            return "error \(response.status) for \(path) does not start with \(errorPrefix)"
        }
        return nil
    }
}
