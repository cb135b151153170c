import Glibc

/// Timestamps of log lines.
enum LogClock {
    /// RFC 3339 UTC time with milliseconds (`2026-12-02T08:30:00.123Z`), for JSON lines.
    static func utcMilliseconds() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        let millis = Int(ts.tv_nsec / 1_000_000)
        let digits = String(millis)
        return format(ts.tv_sec, "%Y-%m-%dT%H:%M:%S", utc: true) + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
    }

    /// Local time with its offset (`2026-12-02T08:30:00+0000`), as swift-log's stream handler
    /// writes it, for text lines.
    static func local() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return format(ts.tv_sec, "%Y-%m-%dT%H:%M:%S%z", utc: false)
    }

    private static func format(_ seconds: Int, _ pattern: String, utc: Bool) -> String {
        var t = time_t(seconds)
        var parts = tm()
        if utc { gmtime_r(&t, &parts) } else { localtime_r(&t, &parts) }
        var buffer = [CChar](repeating: 0, count: 40)
        let n = strftime(&buffer, buffer.count, pattern, &parts)
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
