import Logging

/// A swift-log handler writing one line per event to standard error, every value escaped and
/// cut (``LogEscaping``) so that nothing a client sends starts a line of its own, in one of two
/// formats:
/// - `json`: `{"ts": "...", "level": "info", "logger": "poolserve", "msg": "...", <metadata>...}`;
/// - `text`: swift-log's stream format, `TIME LEVEL LABEL : key=value … message`.
public struct LineLogHandler: LogHandler {
    /// How a line is written.
    public enum Format: String, Sendable {
        case json, text
    }

    /// The logger's label.
    public let label: String
    /// The line format.
    public let format: Format
    /// The lowest level written.
    public var logLevel: Logger.Level = .info
    /// Metadata of every line.
    public var metadata: Logger.Metadata = [:]

    /// A handler for the logger `label`.
    public init(label: String, format: Format, level: Logger.Level = .info) {
        self.label = label
        self.format = format
        logLevel = level
    }

    /// One metadata value.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes one line.
    public func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let keys = merged.keys.sorted()
        LogOutput.write(format == .json ? json(event, merged, keys) : text(event, merged, keys))
    }

    private func json(_ event: LogEvent, _ merged: Logger.Metadata, _ keys: [String]) -> String {
        var fields: [(String, String)] = [("ts", LogClock.utcMilliseconds()), ("level", event.level.rawValue), ("logger", label),
                                          ("msg", event.message.description)]
        for key in keys { fields.append((key, merged[key]!.description)) }
        return "{" + fields.map { LogEscaping.json($0.0) + ":" + LogEscaping.json($0.1) }.joined(separator: ",") + "}\n"
    }

    private func text(_ event: LogEvent, _ merged: Logger.Metadata, _ keys: [String]) -> String {
        var line = LogClock.local() + " " + event.level.rawValue + " " + LogEscaping.text(label) + " :"
        for key in keys { line += " " + LogEscaping.text(key) + "=" + LogEscaping.text(merged[key]!.description) }
        return line + " " + LogEscaping.text(event.message.description) + "\n"
    }
}
