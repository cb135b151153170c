/// The size limits a request is held to (each also a command-line flag).
public struct Limits: Sendable, Equatable {
    /// Elements per tensor, in a request or a response (`--max-elements`).
    public var maxElements: Int = 16_777_216
    /// Output elements × window cells per request (`--max-work`).
    public var maxWork: Int = 2_000_000_000

    public init(maxElements: Int = 16_777_216, maxWork: Int = 2_000_000_000) {
        self.maxElements = maxElements
        self.maxWork = maxWork
    }
}
