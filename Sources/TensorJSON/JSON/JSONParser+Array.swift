extension JSONParser {
    /// One array being scanned.
    private struct OpenArray {
        var count = 0
        /// Whether it is the first item of every array around it (its count is in `firstShape`).
        var onFirstPath: Bool
    }

    /// What the scan learns of the nesting, beyond the counts.
    private struct Nesting {
        /// The count of the first array closed at each depth (-1: none yet).
        var counts: [Int] = []
        /// The counts along the first items.
        var firstShape: [Int] = []
        /// The depth of the first value that is not an array (-1: none yet).
        var leafDepth = -1
        /// The deepest array.
        var deepestArray = 0
        var regular = true
        var numericLeaves = true

        mutating func closed(_ array: OpenArray, depth: Int) {
            if counts.count <= depth { counts += Array(repeating: -1, count: depth + 1 - counts.count) }
            if counts[depth] < 0 {
                counts[depth] = array.count
            } else if counts[depth] != array.count {
                regular = false
            }
            if array.onFirstPath {
                if firstShape.count <= depth { firstShape += Array(repeating: 0, count: depth + 1 - firstShape.count) }
                firstShape[depth] = array.count
            }
        }

        mutating func opened(depth: Int) {
            deepestArray = max(deepestArray, depth)
            if leafDepth >= 0 && depth >= leafDepth { regular = false }
        }

        mutating func leaf(depth: Int, numeric: Bool) {
            if leafDepth < 0 { leafDepth = depth } else if leafDepth != depth { regular = false }
            if depth <= deepestArray { regular = false }
            if !numeric { numericLeaves = false }
        }
    }

    /// An array, checked and measured in one pass without building its items: their count, the
    /// counts along the first items, whether the nesting is regular and all values numbers. The
    /// cursor is on the `[`. Long runs of numbers are checked on all cores.
    mutating func array(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard depth <= limits.maxDepth else { throw limit("nests deeper than \(limits.maxDepth) levels") }
        let start = i
        let short = !longAllowed
        var stack = [OpenArray(onFirstPath: true)]
        var nesting = Nesting()
        var chunks: [NumberRunChunk]?
        i += 1
        // The cursor is just past a `[` or a `,` of the innermost open array.
        scan: while true {
            skipSpace()
            guard i < bytes.count else { throw error("unexpected end of input inside an array") }
            var level = stack.count - 1
            let b = bytes[i]
            if b == UInt8(ascii: "]") {
                guard stack[level].count == 0 else { throw error("unexpected character ']', expected a value") }
            } else if stack[level].count == 0, !short, bytes.count - i >= Self.parallelRunBytes, let run = parallelNumberRun() {
                // A long run of numbers up to its `]`, checked on all cores.
                stack[level].count = run.last.map { $0.first + $0.count } ?? 0
                if level == 0 { chunks = run }
                nesting.leaf(depth: level + 1, numeric: true)
            } else {
                stack[level].count += 1
                if b == UInt8(ascii: "[") {
                    try checkItems(stack[level].count, short: short)
                    guard depth + stack.count <= limits.maxDepth else { throw limit("nests deeper than \(limits.maxDepth) levels") }
                    stack.append(OpenArray(onFirstPath: stack[level].onFirstPath && stack[level].count == 1))
                    nesting.opened(depth: stack.count - 1)
                    i += 1
                    continue scan
                }
                nesting.leaf(depth: level + 1, numeric: try item(depth: depth + stack.count))
                try checkItems(stack[level].count, short: short)
                skipSpace()
                guard i < bytes.count else { throw error("unexpected end of input inside an array") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue scan }
                guard bytes[i] == UInt8(ascii: "]") else { throw error("expected ',' or ']' in an array, found \(describe(bytes[i]))") }
            }
            // The cursor is on the `]` of the innermost open array: close it, and every array
            // around it that ends right after it.
            while true {
                i += 1
                nesting.closed(stack.removeLast(), depth: stack.count)
                if stack.isEmpty { break scan }
                level = stack.count - 1
                skipSpace()
                guard i < bytes.count else { throw error("unexpected end of input inside an array") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue scan }
                guard bytes[i] == UInt8(ascii: "]") else { throw error("expected ',' or ']' in an array, found \(describe(bytes[i]))") }
            }
        }
        return .array(JSONArray(source: source, limits: limits, offset: start, end: i, count: nesting.counts[0],
                                firstShape: nesting.firstShape, isRegular: nesting.regular, numericLeaves: nesting.numericLeaves,
                                depth: depth, short: short, chunks: chunks))
    }

    /// A value inside an array that is not an array: checked, not kept. True when it is a number
    /// or a bare non-finite literal.
    private mutating func item(depth: Int) throws(JSONSyntaxError) -> Bool {
        let b = bytes[i]
        if b == UInt8(ascii: "-") && limits.nonFiniteLiterals && startsNegativeInfinity { try literal("-Infinity"); return true }
        if b == UInt8(ascii: "-") || NumberGrammar.isDigit(b) { _ = try number(); return true }
        if limits.nonFiniteLiterals && b == UInt8(ascii: "N") { try literal("NaN"); return true }
        if limits.nonFiniteLiterals && b == UInt8(ascii: "I") { try literal("Infinity"); return true }
        _ = try value(depth: depth - 1)
        return false
    }
}
