import InferenceProtocol
import MicroHTTP

/// A path of the Open Inference Protocol's REST API (KServe v2, as Triton serves it).
enum V2Route: Equatable {
    /// `GET /v2`: server metadata.
    case server
    /// `GET /v2/health/live`.
    case live
    /// `GET /v2/health/ready`.
    case ready
    /// `GET /v2/models/{name}[/versions/{version}]`: model metadata.
    case model(String, version: String?)
    /// `GET /v2/models/{name}[/versions/{version}]/ready`.
    case modelReady(String, version: String?)
    /// `POST /v2/models/{name}[/versions/{version}]/infer`.
    case infer(String, version: String?)

    /// The route of `path` (matched as sent: no percent-decoding, no empty segments), or nil.
    init?(path: String) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2, parts[0].isEmpty, parts[1] == "v2", !parts.dropFirst().contains(where: \.isEmpty) else { return nil }
        switch Array(parts.dropFirst(2)) {
        case []: self = .server
        case ["health", "live"]: self = .live
        case ["health", "ready"]: self = .ready
        case let rest where rest.count >= 2 && rest[0] == "models":
            let name = rest[1]
            var tail = Array(rest.dropFirst(2))
            var version: String?
            if tail.count >= 2 && tail[0] == "versions" {
                version = tail[1]
                tail.removeFirst(2)
            }
            switch tail {
            case []: self = .model(name, version: version)
            case ["ready"]: self = .modelReady(name, version: version)
            case ["infer"]: self = .infer(name, version: version)
            default: return nil
            }
        default: return nil
        }
    }

    /// The methods the route answers.
    var methods: [HTTPMethod] {
        if case .infer = self { return [.post] }
        return [.get, .head]
    }

    /// The route with its variable parts named, for metrics labels.
    var template: String {
        switch self {
        case .server: return "/v2"
        case .live: return "/v2/health/live"
        case .ready: return "/v2/health/ready"
        case .model(_, let v): return "/v2/models/{name}" + (v == nil ? "" : "/versions/{version}")
        case .modelReady(_, let v): return "/v2/models/{name}" + (v == nil ? "" : "/versions/{version}") + "/ready"
        case .infer(_, let v): return "/v2/models/{name}" + (v == nil ? "" : "/versions/{version}") + "/infer"
        }
    }

    /// The model the route is about, with the version asked for.
    var model: (name: String, version: String?)? {
        switch self {
        case .model(let n, let v), .modelReady(let n, let v), .infer(let n, let v): return (n, v)
        default: return nil
        }
    }
}
