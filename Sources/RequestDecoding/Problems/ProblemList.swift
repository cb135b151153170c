/// The problems found in one request, all of them rather than the first. A request whose only
/// problems are size limits is answered 413; any other problem makes it 422 (listing the limits too).
public struct ProblemList: Sendable {
    /// At most this many are kept; the rest are counted.
    public static let cap = 50
    /// The longest detail kept (longer ones are cut), so that a problem document stays small.
    public static let detailLimit = 512

    /// The problems kept, in the order found.
    public private(set) var problems: [Problem] = []
    /// How many problems were found beyond ``cap``.
    public private(set) var dropped = 0
    /// How many problems are size limits.
    private var limits = 0
    /// The pointers of every problem found (kept and dropped), to ask whether a field failed.
    private var pointers: Set<String> = []

    /// An empty list.
    public init() {}

    /// Whether no problem was found.
    public var isEmpty: Bool { problems.isEmpty }
    /// How many problems were found (kept and dropped).
    public var count: Int { problems.count + dropped }
    /// Whether every problem is a size limit (then the answer is 413).
    public var tooLarge: Bool { limits > 0 && limits == count }

    /// Records a contract violation (422).
    public mutating func add(_ pointer: JSONPointer, _ detail: String) {
        let text = pointer.description
        pointers.insert(text)
        let cut = detail.utf8.count <= Self.detailLimit ? detail : String(decoding: detail.utf8.prefix(Self.detailLimit - 3), as: UTF8.self) + "…"
        if problems.count < Self.cap { problems.append(Problem(pointer: text, detail: cut)) } else { dropped += 1 }
    }

    /// Records a size limit that was exceeded (413 when it is the only kind of problem).
    public mutating func addLimit(_ pointer: JSONPointer, _ detail: String) {
        limits += 1
        add(pointer, detail)
    }

    /// Adds every problem of `other`.
    public mutating func add(contentsOf other: ProblemList) {
        for p in other.problems { if problems.count < Self.cap { problems.append(p) } else { dropped += 1 } }
        dropped += other.dropped
        limits += other.limits
        pointers.formUnion(other.pointers)
    }

    /// Whether a problem was recorded at `pointer` or inside it: a field given with a wrong value
    /// has one, so checks of which fields go together still see it as given.
    public func hasProblem(at pointer: JSONPointer) -> Bool {
        let text = pointer.description
        return pointers.contains { $0 == text || $0.hasPrefix(text + "/") }
    }
}
