import Glibc
import Logging

/// A swift-log handler writing one JSON object per line to standard error:
/// `{"ts": "...", "level": "info", "logger": "poolserve", "msg": "...", <metadata>...}`, every
/// value escaped and cut (``LogEscaping``).
public struct JSONLogHandler: LogHandler {
    /// The logger's label.
    public let label: String
    /// The lowest level written.
    public var logLevel: Logger.Level = .info
    /// Metadata of every line.
    public var metadata: Logger.Metadata = [:]

    /// A handler for the logger `label`.
    public init(label: String) { self.label = label }

    /// One metadata value.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes one line.
    public func log(event: LogEvent) {
        var fields: [(String, String)] = [("ts", LogClock.utcMilliseconds()), ("level", event.level.rawValue), ("logger", label),
                                          ("msg", event.message.description)]
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        for key in merged.keys.sorted() { fields.append((key, merged[key]!.description)) }
        var text = "{"
        for (k, (key, value)) in fields.enumerated() {
            if k > 0 { text += "," }
            text += LogEscaping.json(key) + ":" + LogEscaping.json(value)
        }
        text += "}\n"
        LogOutput.write(text)
    }
}
