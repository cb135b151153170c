#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A numeric IPv4 or IPv6 socket address, built from a host literal and a port.
struct SocketAddress {
    /// The raw `sockaddr_storage` bytes.
    private(set) var storage = sockaddr_storage()
    /// Whether the address is IPv6.
    let isIPv6: Bool

    /// Parses `host` (an IPv4 or IPv6 literal, or `localhost`); nil when it is neither.
    init?(host: String, port: UInt16) {
        let literal = host == "localhost" ? "127.0.0.1" : host
        var v4 = sockaddr_in()
        if inet_pton(AF_INET, literal, &v4.sin_addr) == 1 {
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = port.bigEndian
            isIPv6 = false
            withUnsafeBytes(of: v4) { src in
                withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: src) }
            }
            return
        }
        let bare = literal.hasPrefix("[") && literal.hasSuffix("]") ? String(literal.dropFirst().dropLast()) : literal
        var v6 = sockaddr_in6()
        guard inet_pton(AF_INET6, bare, &v6.sin6_addr) == 1 else { return nil }
        v6.sin6_family = sa_family_t(AF_INET6)
        v6.sin6_port = port.bigEndian
        isIPv6 = true
        withUnsafeBytes(of: v6) { src in
            withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: src) }
        }
    }
}
