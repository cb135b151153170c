import Glibc
import Logging

/// A swift-log handler writing text lines to standard error in swift-log's stream format,
/// `TIME LEVEL LABEL : key=value … message`, every value and the message escaped and cut
/// (``LogEscaping``), so that nothing a client sends starts a line of its own.
public struct TextLogHandler: LogHandler {
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
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        var text = LogClock.local() + " " + event.level.rawValue + " " + LogEscaping.text(label) + " :"
        for key in merged.keys.sorted() {
            text += " " + LogEscaping.text(key) + "=" + LogEscaping.text(merged[key]!.description)
        }
        text += " " + LogEscaping.text(event.message.description) + "\n"
        LogOutput.write(text)
    }
}
