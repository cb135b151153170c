import Parallelism

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension JSONParser {
    /// Runs at least this long are parsed on all cores.
    static let parallelRunBytes = 1 << 20

    /// A long array of numbers only (tensor data), parsed on all cores: the run is taken to
    /// end at the next `]`, cut at commas into chunks, and each chunk is checked against JSON's
    /// grammar on its own. Returns nil, with nothing consumed, when the run holds anything else
    /// (a nested array, a string, a syntax error); the sequential parser then takes over and
    /// reports errors with their exact offsets.
    mutating func parallelNumberRun() -> [JSONNumber]? {
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
        var parts = [[JSONNumber]?](repeating: nil, count: count)
        parts.withUnsafeMutableBufferPointer { out in
            Parallel.forEachChunk(count, grain: 1) { c, _ in
                // Chunks before the last end at their comma (excluded); the last at the `]`.
                let to = bounds[c + 1] - 1
                var numbers: [JSONNumber] = []
                numbers.reserveCapacity((to - bounds[c]) / 8 + 1)
                out[c] = Self.numbers(base, from: bounds[c], to: to, maxLength: limits.maxNumberLength, into: &numbers) ? numbers : nil
            }
        }
        var run: [JSONNumber] = []
        run.reserveCapacity(parts.reduce(0) { $0 + ($1?.count ?? 0) })
        for part in parts {
            guard let part else { return nil }
            run.append(contentsOf: part)
        }
        i = end + 1
        return run
    }

    /// Reads `ws number ws (, ws number ws)*` filling exactly `p[from..<to]`, no number longer than
    /// `maxLength` (else false: the sequential parser reports it).
    private static func numbers(_ p: UnsafePointer<UInt8>, from: Int, to: Int, maxLength: Int, into out: inout [JSONNumber]) -> Bool {
        var k = from
        while true {
            skipSpace(p, &k, to)
            let start = k
            guard NumberGrammar.skip(p, &k, to) == nil, k - start <= maxLength else { return false }
            out.append(JSONNumber(offset: start, length: k - start))
            skipSpace(p, &k, to)
            if k == to { return true }
            guard p[k] == UInt8(ascii: ",") else { return false }
            k += 1
        }
    }

    @inline(__always)
    private static func skipSpace(_ p: UnsafePointer<UInt8>, _ k: inout Int, _ to: Int) {
        while k < to, p[k] == 0x20 || p[k] == 0x0A || p[k] == 0x0D || p[k] == 0x09 { k += 1 }
    }
}
