/// What a reader accepts of a document, checked while it is parsed, so that a hostile body is
/// refused as soon as it passes a limit, before anything is built for it.
public struct JSONParseLimits: Sendable {
    /// The deepest nesting of arrays and objects.
    public var maxDepth: Int
    /// The most elements of an array outside the ``longMembers`` (parameter lists, shapes).
    public var maxShortItems: Int
    /// Member names whose arrays may be long (tensor data): an array is long-allowed when the
    /// nearest member name around it is one of these.
    public var longMembers: Set<String>
    /// The longest number text (a float needs at most about 770 significant digits).
    public var maxNumberLength: Int
    /// The most members of one object (each costs memory as it is parsed, unlike array items).
    public var maxMembers: Int = 4096
    /// Whether the bare literals `NaN`, `Infinity` and `-Infinity` are values (read as the
    /// strings of those names, which the tensor reader takes as the non-finite floats): what
    /// Triton and Python's `json` write, and what the Open Inference Protocol's JSON data
    /// carries. Off for standard JSON.
    public var nonFiniteLiterals = false

    /// Limits.
    public init(maxDepth: Int = 64, maxShortItems: Int = .max, longMembers: Set<String> = [], maxNumberLength: Int = 1_100) {
        self.maxDepth = maxDepth
        self.maxShortItems = maxShortItems
        self.longMembers = longMembers
        self.maxNumberLength = maxNumberLength
    }

    /// Any document up to 64 levels deep, numbers up to 1,100 characters.
    public static let standard = JSONParseLimits()
}
