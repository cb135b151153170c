import Glibc

/// Where log lines go: standard error, one `write` per line (lines of concurrent requests do
/// not interleave).
enum LogOutput {
    /// Writes `line` to standard error.
    static func write(_ line: String) {
        var bytes = Array(line.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeMutableBytes { Glibc.write(STDERR_FILENO, $0.baseAddress, $0.count) }
            if n <= 0 { return }
            offset += n
        }
        bytes.removeAll()
    }
}
