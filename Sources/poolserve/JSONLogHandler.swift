import Logging
import MicroHTTP

#if canImport(Glibc)
import Glibc
#endif

/// A swift-log handler writing one JSON object per line to standard error:
/// `{"ts": "...", "level": "info", "logger": "poolserve", "msg": "...", <metadata>...}`.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields: [(String, String)] = [("ts", Self.timestamp()), ("level", event.level.rawValue), ("logger", label),
                                          ("msg", event.message.description)]
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        for key in merged.keys.sorted() { fields.append((key, merged[key]!.description)) }
        var text = "{"
        for (k, (key, value)) in fields.enumerated() {
            if k > 0 { text += "," }
            text += Self.quoted(key) + ":" + Self.quoted(value)
        }
        text += "}\n"
        _ = text.withCString { fputs($0, stderr) }
    }

    /// RFC 3339 UTC time with milliseconds.
    static func timestamp() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        var t = time_t(ts.tv_sec)
        var parts = tm()
        gmtime_r(&t, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S", &parts)
        let millis = Int(ts.tv_nsec / 1_000_000)
        let base = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return base + "." + String(repeating: "0", count: 3 - String(millis).count) + String(millis) + "Z"
    }

    /// `s` as a JSON string literal.
    static func quoted(_ s: String) -> String { Response.jsonQuoted(s) }
}
