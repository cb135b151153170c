import Dispatch

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
        guard start < bytes.count, base[start] == UInt8(ascii: "-") || Self.isDigit(base[start]),
              let found = memchr(base + start, Int32(UInt8(ascii: "]")), bytes.count - start) else { return nil }
        let end = UnsafeRawPointer(found).assumingMemoryBound(to: UInt8.self) - base
        guard end - start >= Self.parallelRunBytes else { return nil }
        // Chunk c covers bounds[c]..<bounds[c + 1]; every bound after the first sits just past a comma.
        let chunks = 16
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
            DispatchQueue.concurrentPerform(iterations: count) { c in
                // Chunks before the last end at their comma (excluded); the last at the `]`.
                let to = bounds[c + 1] - 1
                var numbers: [JSONNumber] = []
                numbers.reserveCapacity((to - bounds[c]) / 8 + 1)
                out[c] = Self.numbers(base, from: bounds[c], to: to, into: &numbers) ? numbers : nil
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

    /// Reads `ws number ws (, ws number ws)*` filling exactly `p[from..<to]`.
    private static func numbers(_ p: UnsafePointer<UInt8>, from: Int, to: Int, into out: inout [JSONNumber]) -> Bool {
        var k = from
        while true {
            skipSpace(p, &k, to)
            let start = k
            guard skipNumber(p, &k, to) else { return false }
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

    @inline(__always)
    private static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

    /// Moves `k` past one number in `p[k..<to]` (JSON's grammar); false if there is none.
    @inline(__always)
    private static func skipNumber(_ p: UnsafePointer<UInt8>, _ k: inout Int, _ to: Int) -> Bool {
        if k < to && p[k] == UInt8(ascii: "-") { k += 1 }
        guard k < to, isDigit(p[k]) else { return false }
        if p[k] == UInt8(ascii: "0") {
            k += 1
            if k < to && isDigit(p[k]) { return false }
        } else {
            skipDigits(p, &k, to)
        }
        if k < to && p[k] == UInt8(ascii: ".") {
            k += 1
            guard k < to, isDigit(p[k]) else { return false }
            skipDigits(p, &k, to)
        }
        if k < to && (p[k] == UInt8(ascii: "e") || p[k] == UInt8(ascii: "E")) {
            k += 1
            if k < to && (p[k] == UInt8(ascii: "+") || p[k] == UInt8(ascii: "-")) { k += 1 }
            guard k < to, isDigit(p[k]) else { return false }
            skipDigits(p, &k, to)
        }
        return true
    }

    @inline(__always)
    private static func skipDigits(_ p: UnsafePointer<UInt8>, _ k: inout Int, _ to: Int) {
        while k + 8 <= to, NumberConversion.isEightDigits(UInt64(littleEndian: UnsafeRawPointer(p + k).loadUnaligned(as: UInt64.self))) {
            k += 8
        }
        while k < to && isDigit(p[k]) { k += 1 }
    }
}
