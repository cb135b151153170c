/// Writes JSON text into one growing byte buffer, with no intermediate `String` per value
/// where it can be helped.
public struct JSONWriter: Sendable {
    /// The text written so far.
    public private(set) var bytes: [UInt8] = []

    /// A writer whose buffer holds `capacity` bytes before it grows.
    public init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    /// Appends `s` as it is (it must be JSON already).
    @inline(__always) public mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends one byte.
    @inline(__always) public mutating func byte(_ b: UInt8) { bytes.append(b) }

    /// Appends bytes already written elsewhere (they must be JSON).
    public mutating func append(_ more: [UInt8]) { bytes.append(contentsOf: more) }

    /// Appends `count` bytes written by `body` into the buffer's end; `body` returns how many it wrote.
    public mutating func append(upTo count: Int, _ body: (UnsafeMutableRawBufferPointer) -> Int) {
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: count))
        let written = bytes.withUnsafeMutableBytes { body(UnsafeMutableRawBufferPointer(rebasing: $0[start...])) }
        bytes.removeLast(count - written)
    }

    /// A JSON string literal (RFC 8259 escapes).
    public mutating func string(_ s: String) {
        JSONString.append(s, to: &bytes)
    }

    /// `"key":`
    public mutating func key(_ k: String) {
        string(k)
        bytes.append(UInt8(ascii: ":"))
    }

    /// A decimal integer.
    public mutating func int(_ v: Int64) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            let n = IntegerText.write(v, to: digits.baseAddress!)
            bytes.append(contentsOf: UnsafeBufferPointer(start: digits.baseAddress, count: n))
        }
    }
}
