/// Values a client sent, as problem messages echo them: cut to ``limit`` characters with an
/// ellipsis, so that no problem grows with the request.
public enum Echo {
    /// The most characters of a client's value a message repeats.
    public static let limit = 64

    /// `text` cut to ``limit`` characters (with "…" when cut).
    public static func cut(_ text: some StringProtocol) -> String {
        text.count <= limit ? String(text) : String(text.prefix(limit - 1)) + "…"
    }

    /// `text` cut and in double quotes, for a string value.
    public static func quoted(_ text: some StringProtocol) -> String { "\"" + cut(text) + "\"" }
}
