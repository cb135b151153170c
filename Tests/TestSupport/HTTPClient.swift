#if canImport(Glibc)
import Glibc
#endif

/// A raw HTTP/1.1 response as a test sees it.
public struct RawResponse: Sendable {
    public var status: Int
    /// Header fields with lower-cased names.
    public var headers: [String: String]
    public var body: [UInt8]

    public var text: String { String(decoding: body, as: UTF8.self) }

    /// A response as parsed by a test's own reader.
    public init(status: Int, headers: [String: String], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// A minimal blocking HTTP/1.1 client over a TCP socket, for tests: one request per
/// connection, `Connection: close`, the whole response read until the server closes.
public enum HTTPClient {
    /// Sends `method path` with `body` to 127.0.0.1:`port` and reads the answer.
    public static func send(port: Int, method: String = "POST", path: String, body: [UInt8] = [],
                            headers: [(String, String)] = [("Content-Type", "application/json")],
                            contentLength: Int? = nil) throws -> RawResponse {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(contentLength ?? body.count)\r\n\r\n"
        return try exchange(port: port, Array(head.utf8) + body)
    }

    /// Writes raw bytes to the server and reads until it closes the connection.
    public static func exchange(port: Int, _ bytes: [UInt8], timeoutSeconds: Int = 60) throws -> RawResponse {
        let fd = try connect(port: port, timeoutSeconds: timeoutSeconds)
        defer { close(fd) }
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { break } // the server may answer (413) and close before reading everything
            sent += n
        }
        shutdown(fd, Int32(SHUT_WR))
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            data.append(contentsOf: buffer[0..<n])
        }
        return try parse(data)
    }

    /// Opens a TCP connection to 127.0.0.1:`port`.
    public static func connect(port: Int, timeoutSeconds: Int = 60) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ClientError.io("socket") }
        var tv = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = UInt16(port).bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { close(fd); throw ClientError.io("connect to port \(port)") }
        return fd
    }

    static func parse(_ data: [UInt8]) throws -> RawResponse {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = (0..<max(0, data.count - 3)).first(where: { Array(data[$0..<($0 + 4)]) == separator }) else {
            throw ClientError.malformed(String(decoding: data.prefix(200), as: UTF8.self))
        }
        let lines = String(decoding: data[0..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw ClientError.malformed(lines[0]) }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return RawResponse(status: status, headers: headers, body: Array(data[(end + 4)...]))
    }

    public enum ClientError: Error {
        case io(String)
        case malformed(String)
    }
}

import Foundation
