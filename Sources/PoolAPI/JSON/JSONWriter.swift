import MicroHTTP

/// Writes JSON text into one growing byte buffer, with no intermediate `String` per value
/// where it can be helped.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    @inline(__always) public mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    @inline(__always) public mutating func byte(_ b: UInt8) { bytes.append(b) }

    /// Appends bytes already written elsewhere.
    public mutating func append(_ more: [UInt8]) { bytes.append(contentsOf: more) }

    /// A JSON string literal (the same escaping as the HTTP layer's problem documents).
    public mutating func string(_ s: String) {
        bytes.append(contentsOf: Response.jsonQuoted(s).utf8)
    }

    /// `"key":`
    public mutating func key(_ k: String) {
        string(k)
        bytes.append(UInt8(ascii: ":"))
    }

    /// A decimal integer.
    public mutating func int(_ v: Int64) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            let n = writeInteger(v, to: digits.baseAddress!)
            bytes.append(contentsOf: UnsafeBufferPointer(start: digits.baseAddress, count: n))
        }
    }
}
