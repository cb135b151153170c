#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the server keeps for one request while libmicrohttpd feeds it the body.
final class RequestContext {
    let method: HTTPMethod
    let path: String
    var headers: [String: String] = [:]
    var body: [UInt8] = []
    /// Set once a response is queued before the body was complete (413): the rest is discarded.
    var answered = false
    let started: Double = monotonicSeconds()

    init(method: HTTPMethod, path: String) {
        self.method = method
        self.path = path
    }

    /// Records a header field; repeats are joined with ", " (RFC 9110, 5.3).
    func addHeader(name: String, value: String) {
        let key = name.lowercased()
        if let old = headers[key] { headers[key] = old + ", " + value } else { headers[key] = value }
    }

    /// The request id, fixed on first use so that an early answer (413) and the log agree.
    lazy var id: String = RequestID.make(from: headers["x-request-id"])

    var request: Request {
        Request(method: method, path: path, headers: headers, body: body, id: id)
    }
}

/// Seconds on the monotonic clock.
func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}
