import Parallelism

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension JSONParser {
    /// Runs at least this long are parsed on all cores.
    static let parallelRunBytes = 1 << 20

    /// A long array of numbers only (tensor data), checked on all cores: the run is taken to
    /// end at the next `]`, cut at commas into chunks, and each chunk is checked against JSON's
    /// grammar on its own. Returns the chunks (where each starts, how many numbers it holds), with
    /// the cursor on the `]`; nil, with
    /// nothing consumed, when the run holds anything else (a nested array, a string, a syntax
    /// error): the sequential parser then takes over and reports errors with their exact offsets.
    mutating func parallelNumberRun() -> [NumberRunChunk]? {
        let base = bytes.baseAddress!
        let start = i
        guard start < bytes.count, base[start] == UInt8(ascii: "-") || NumberGrammar.isDigit(base[start]),
              let found = memchr(base + start, Int32(UInt8(ascii: "]")), bytes.count - start) else { return nil }
        let end = UnsafeRawPointer(found).assumingMemoryBound(to: UInt8.self) - base
        guard end - start >= Self.parallelRunBytes else { return nil }
        // Chunk c covers bounds[c]..<bounds[c + 1]; every bound after the first sits just past a comma.
        let chunks = Parallel.chunkCount(end - start, grain: 1 << 16)
        var bounds = [start]
        for c in 1..<chunks {
            var k = max(bounds[bounds.count - 1], start + (end - start) * c / chunks)
            while k < end && base[k] != UInt8(ascii: ",") { k += 1 }
            if k < end && k + 1 > bounds[bounds.count - 1] { bounds.append(k + 1) }
        }
        bounds.append(end + 1) // the last chunk ends at the `]`
        let count = bounds.count - 1
        let maxLength = limits.maxNumberLength
        let counts = Parallel.mapChunks(count, grain: 1) { chunks -> [Int]? in
            var numbers: [Int] = []
            for c in chunks {
                // Chunks before the last end at their comma (excluded); the last at the `]`.
                guard let n = Self.numbers(base, from: bounds[c], to: bounds[c + 1] - 1, maxLength: maxLength) else { return nil }
                numbers.append(n)
            }
            return numbers
        }
        var run: [NumberRunChunk] = []
        var first = 0
        for group in counts {
            guard let group else { return nil }
            for n in group {
                run.append(NumberRunChunk(offset: bounds[run.count], end: bounds[run.count + 1] - 1, first: first, count: n))
                first += n
            }
        }
        i = end
        return run
    }

    /// Checks `ws number ws (, ws number ws)*` filling exactly `p[from..<to]`, no number longer
    /// than `maxLength`, and counts the numbers (nil otherwise: the sequential parser reports it).
    private static func numbers(_ p: UnsafePointer<UInt8>, from: Int, to: Int, maxLength: Int) -> Int? {
        var k = from
        var n = 0
        while true {
            skipSpace(p, &k, to)
            let start = k
            guard NumberGrammar.skip(p, &k, to) == nil, k - start <= maxLength else { return nil }
            n += 1
            skipSpace(p, &k, to)
            if k == to { return n }
            guard p[k] == UInt8(ascii: ",") else { return nil }
            k += 1
        }
    }

    @inline(__always)
    private static func skipSpace(_ p: UnsafePointer<UInt8>, _ k: inout Int, _ to: Int) {
        while k < to, p[k] == 0x20 || p[k] == 0x0A || p[k] == 0x0D || p[k] == 0x09 { k += 1 }
    }
}

/// A piece of a long run of numbers, cut at a comma: its text `offset..<end` holds `count`
/// numbers, the first of which is number `first` of the run.
struct NumberRunChunk: Sendable, Equatable {
    let offset: Int
    let end: Int
    let first: Int
    let count: Int
}
