/// Why a ``Server`` could not start.
public enum ServerError: Error, CustomStringConvertible, Equatable {
    /// `host` is not an IPv4 or IPv6 literal (or `localhost`).
    case invalidHost(String)
    /// A setting is outside the range libmicrohttpd accepts.
    case invalidSetting(String)
    /// libmicrohttpd refused to start (the port is in use, say).
    case startFailed(host: String, port: Int)

    public var description: String {
        switch self {
        case .invalidHost(let host): return "not an IP address: \(host)"
        case .invalidSetting(let what): return "invalid setting: \(what)"
        case .startFailed(let host, let port): return "could not listen on \(host):\(port) (in use, or not permitted)"
        }
    }
}
