import CZlib
import Glibc
import TestSupport

/// A raw TCP connection for tests that need more than one request-response: partial sends,
/// reading while sending, a chosen source address.
final class RawConnection {
    let fd: Int32

    /// Connects to 127.0.0.1:`port`, from `source` (another loopback address) when given.
    init(port: Int, source: String? = nil, timeoutSeconds: Int = 10) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var tv = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        if let source {
            var local = sockaddr_in()
            local.sin_family = sa_family_t(AF_INET)
            local.sin_addr.s_addr = inet_addr(source)
            let rc = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard rc == 0 else { close(fd); throw HTTPClient.ClientError.io("bind \(source)") }
        }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = UInt16(port).bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { close(fd); throw HTTPClient.ClientError.io("connect") }
    }

    deinit { close(fd) }

    /// Sends all of `bytes`; false when the server closed or reset the connection first.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            sent += n
        }
        return true
    }

    @discardableResult
    func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    /// Reads one response (head, then `Content-Length` bytes or chunks, or to the close; for
    /// the answer to a HEAD request, the head only).
    func readResponse(toHead: Bool = false) throws -> RawResponse {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        func more() -> Bool {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return false }
            data += buffer[0..<n]
            return true
        }
        var headEnd: Int?
        while headEnd == nil {
            headEnd = Self.find([13, 10, 13, 10], in: data)
            if headEnd == nil && !more() { throw HTTPClient.ClientError.malformed(String(decoding: data, as: UTF8.self)) }
        }
        let head = String(decoding: data[0..<headEnd!], as: UTF8.self)
        var headers: [String: String] = [:]
        let lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = String(line[line.index(after: colon)...]).trimmingCharacters(in: " ")
        }
        let status = Int(lines[0].split(separator: " ")[1]) ?? 0
        var body = Array(data[(headEnd! + 4)...])
        if toHead {
            // nothing follows the head
        } else if let length = headers["content-length"].flatMap({ Int($0) }) {
            while body.count < length && more() { body = Array(data[(headEnd! + 4)...]) }
            body = Array(body.prefix(length))
        } else if headers["transfer-encoding"] == "chunked" {
            while Self.find(Array("0\r\n\r\n".utf8), in: body) == nil && more() { body = Array(data[(headEnd! + 4)...]) }
            body = Self.dechunk(body)
        } else {
            while more() {}
            body = Array(data[(headEnd! + 4)...])
        }
        return RawResponse(status: status, headers: headers, body: body)
    }

    /// Reads until the server closes; returns what came (nil when it reset the connection or
    /// the read timed out).
    func readToClose() -> [UInt8]? {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { return data }
            if n < 0 { return errno == ECONNRESET ? data : nil }
            data += buffer[0..<n]
        }
    }

    static func find(_ needle: [UInt8], in data: [UInt8]) -> Int? {
        guard data.count >= needle.count else { return nil }
        for i in 0...(data.count - needle.count) where data[i] == needle[0] && Array(data[i..<(i + needle.count)]) == needle {
            return i
        }
        return nil
    }

    static func dechunk(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while let lineEnd = find([13, 10], in: Array(data[i...])) {
            let size = Int(String(decoding: data[i..<(i + lineEnd)], as: UTF8.self), radix: 16) ?? 0
            i += lineEnd + 2
            if size == 0 { break }
            out += data[i..<(i + size)]
            i += size + 2
        }
        return out
    }
}

extension String {
    func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s.removeFirst() }
        while s.last == set { s.removeLast() }
        return String(s)
    }
}

/// zlib used directly, to check the server's coding against the library rather than itself.
enum Zlib {
    /// `data` compressed as gzip (`windowBits` 31), zlib (15) or raw deflate (-15).
    static func compress(_ data: [UInt8], windowBits: Int32 = 31) -> [UInt8] {
        var stream = z_stream()
        precondition(deflateInit2_(&stream, 6, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
                                   Int32(MemoryLayout<z_stream>.size)) == Z_OK)
        defer { deflateEnd(&stream) }
        var out = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(data.count))) + 64)
        var input = data
        let written = input.withUnsafeMutableBytes { src in
            out.withUnsafeMutableBytes { dst -> Int in
                stream.next_in = src.baseAddress?.assumingMemoryBound(to: Bytef.self)
                stream.avail_in = UInt32(src.count)
                stream.next_out = dst.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.avail_out = UInt32(dst.count)
                precondition(deflate(&stream, Z_FINISH) == Z_STREAM_END)
                return dst.count - Int(stream.avail_out)
            }
        }
        return Array(out[0..<written])
    }

    /// `data` decompressed (gzip or zlib, detected), or nil when it does not decode.
    static func decompress(_ data: [UInt8]) -> [UInt8]? {
        var stream = z_stream()
        guard inflateInit2_(&stream, 47, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        var out: [UInt8] = []
        var input = data
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var result: Int32 = Z_OK
        input.withUnsafeMutableBytes { src in
            stream.next_in = src.baseAddress?.assumingMemoryBound(to: Bytef.self)
            stream.avail_in = UInt32(src.count)
            repeat {
                let produced = chunk.withUnsafeMutableBytes { dst -> Int in
                    stream.next_out = dst.baseAddress!.assumingMemoryBound(to: Bytef.self)
                    stream.avail_out = UInt32(dst.count)
                    result = inflate(&stream, Z_NO_FLUSH)
                    return dst.count - Int(stream.avail_out)
                }
                out += chunk[0..<produced]
            } while result == Z_OK
        }
        return result == Z_STREAM_END ? out : nil
    }
}
