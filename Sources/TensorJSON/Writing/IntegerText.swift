/// Decimal integer text written straight into a byte buffer (no `String`).
enum IntegerText {
    /// Writes the digits of `v` at `p` (at most 20 bytes) and returns their count.
    @inline(__always)
    static func write(_ v: Int64, to p: UnsafeMutablePointer<UInt8>) -> Int {
        var n = 0
        if v < 0 { p[0] = UInt8(ascii: "-"); n = 1 }
        var magnitude = v.magnitude
        if magnitude < 10 { p[n] = UInt8(magnitude) + 0x30; return n + 1 }
        var digits = 0
        var probe = magnitude
        while probe > 0 { digits += 1; probe /= 10 }
        var k = n + digits - 1
        while magnitude > 0 {
            p[k] = UInt8(magnitude % 10) + 0x30
            magnitude /= 10
            k -= 1
        }
        return n + digits
    }
}
