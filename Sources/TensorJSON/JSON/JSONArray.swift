/// A JSON array as it is written: where its text lies, how many items it holds and what its
/// nesting looks like. Its items are read from the text only when asked for, one at a time, so
/// parsing holds no memory per element: tensor data of any layout costs only its text until it is
/// converted straight into the tensor (``TensorReader``).
///
/// For `[[1, 2], [3, 4]]`: `count` 2, `firstShape` [2, 2] (the counts along the first items),
/// `isRegular` (every array at a depth has the same count, and only the deepest hold values),
/// `numericLeaves` (every value a number or a non-finite literal).
public struct JSONArray: Sendable, Sequence {
    /// The document's text (shared, not copied).
    let source: [UInt8]
    /// The limits the document was parsed under (for reading the items again).
    let limits: JSONParseLimits
    /// Offset of the `[`.
    public let offset: Int
    /// Offset just past the `]`.
    public let end: Int
    /// The number of items.
    public let count: Int
    public var underestimatedCount: Int { count }
    /// The counts along the first items: this array's, its first item's when that is an array,
    /// and so on down to the first value that is not an array.
    public let firstShape: [Int]
    /// Whether every array at a depth has the same count and values sit only at the deepest one.
    public let isRegular: Bool
    /// Whether every value (at any depth) is a number or a bare non-finite literal.
    public let numericLeaves: Bool
    /// The array's nesting depth in the document (for the depth limit when its items are read).
    let depth: Int
    /// Whether the array is outside the long members (its items limited as they were).
    let short: Bool
    /// For an array of numbers only that was checked on all cores: its pieces, which convert on
    /// all cores without another pass.
    let chunks: [NumberRunChunk]?

    /// The items, each read from the text (nested arrays stay unread). Meant for short arrays:
    /// a tensor is read with ``TensorReader``, which converts its text without this.
    public var items: [JSONValue] {
        var values: [JSONValue] = []
        values.reserveCapacity(count)
        var iterator = makeIterator()
        while let value = iterator.next() { values.append(value) }
        return values
    }

    /// The items one at a time.
    public func makeIterator() -> Iterator { Iterator(array: self) }

    /// Reads the items in order, each when it is asked for.
    public struct Iterator: IteratorProtocol {
        let array: JSONArray
        /// The offset of the next item (or of the `]`).
        var cursor: Int
        var index = 0

        init(array: JSONArray) {
            self.array = array
            cursor = array.offset + 1
        }

        /// The next item, or nil past the last.
        public mutating func next() -> JSONValue? {
            guard index < array.count else { return nil }
            index += 1
            // The text was checked when the document was parsed: reading it again cannot fail.
            guard let (value, after) = JSONParser.item(in: array, at: cursor) else { return nil }
            cursor = after
            return value
        }
    }
}
