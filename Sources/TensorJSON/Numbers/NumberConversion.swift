#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a JSON number cannot be read as the wanted type.
public enum NumberProblem: Error, Equatable, Sendable {
    /// A finite literal whose magnitude is beyond the type's largest finite value.
    case overflow(String)
    /// An integer literal the float type cannot hold exactly.
    case inexactInteger(String)
    /// Not an integer where one is needed.
    case notInteger
    /// An integer outside the wanted integer range.
    case outOfRange(String)

    /// A message for people.
    public func message(_ text: String) -> String {
        switch self {
        case .overflow(let type): return "\(text) is beyond the range of \(type)"
        case .inexactInteger(let type): return "integer \(text) cannot be represented exactly in \(type)"
        case .notInteger: return "must be an integer, got \(text)"
        case .outOfRange(let range): return "\(text) is outside \(range)"
        }
    }
}

/// Exact conversion of JSON number text: correctly rounded, with the contract's checks for
/// overflow and for integers beyond float precision.
///
/// The fast path reads up to 19 significant digits m and a decimal exponent e with |e| ≤ 27
/// exactly: m·5^e as a 128-bit product, or m·2^s / 5^−e as a 128-by-64-bit division whose
/// remainder tells whether anything was lost; then it rounds once, half to even, to the
/// target's 24 or 53 bits. Everything else (longer digit strings, larger exponents) goes to C's
/// correctly rounded `strtod` / `strtof`.
enum NumberConversion {
    /// The sign, significant digits and decimal exponent of a number's text.
    struct Decimal {
        var negative = false
        /// Up to 19 significant digits.
        var mantissa: UInt64 = 0
        /// The value is mantissa × 10^exponent (when `truncated` is false).
        var exponent = 0
        /// No fraction and no exponent in the text.
        var isInteger = true
        /// A nonzero digit beyond the 19th was dropped: the fast path cannot be exact.
        var truncated = false
    }

    /// 5^k for k in 0...27 (5^27 < 2^63).
    static let powersOf5: [UInt64] = (0...27).map { k in (0..<k).reduce(UInt64(1)) { acc, _ in acc * 5 } }
    static let powersOf10: [Double] = (0...22).map { k in (0..<k).reduce(1.0) { acc, _ in acc * 10 } }

    /// Reads the text of a number that the parser has already checked against JSON's grammar.
    @inline(__always)
    static func scan(_ p: UnsafePointer<UInt8>, _ n: Int) -> Decimal {
        var end = 0
        return scan(p, n, end: &end)
    }

    /// ``scan(_:_:)`` of the number that starts at `p`, within `n` bytes that may go on past it
    /// (a separator ends it); `end` is set to its length.
    @inline(__always)
    static func scan(_ p: UnsafePointer<UInt8>, _ n: Int, end: inout Int) -> Decimal {
        var d = Decimal()
        var k = 0
        if p[0] == UInt8(ascii: "-") { d.negative = true; k = 1 }
        var digits = 0
        readDigits(p, n, &k, &d, &digits, fraction: false)
        if k < n && p[k] == UInt8(ascii: ".") {
            d.isInteger = false
            k += 1
            readDigits(p, n, &k, &d, &digits, fraction: true)
        }
        if k < n && p[k] | 0x20 == UInt8(ascii: "e") {
            d.isInteger = false
            k += 1
            var negative = false
            if p[k] == UInt8(ascii: "-") { negative = true; k += 1 } else if p[k] == UInt8(ascii: "+") { k += 1 }
            var e = 0
            while k < n {
                let c = p[k] &- 0x30
                guard c < 10 else { break }
                if e < 1_000_000 { e = e * 10 + Int(c) }
                k += 1
            }
            d.exponent += negative ? -e : e
        }
        end = k
        return d
    }

    /// Reads the run of digits at `p[k...]` (the integer part, or the fraction when `fraction`)
    /// into `d`, keeping up to 19 significant digits: each digit after the 19th raises the
    /// exponent (integer part) or is dropped (fraction), and marks `d` truncated when nonzero.
    ///
    /// Once a nonzero digit is held, up to eight digits are taken per step (SWAR): the word's
    /// leading digits are counted from its non-digit bytes, shifted to the word's end behind
    /// '0's, and valued at once, so that a run ends without a mispredicted exit per digit.
    @inline(__always)
    static func readDigits(_ p: UnsafePointer<UInt8>, _ n: Int, _ k: inout Int, _ d: inout Decimal,
                           _ digits: inout Int, fraction: Bool) {
        while k < n {
            if d.mantissa != 0 && k + 8 <= n {
                let word = UInt64(littleEndian: UnsafeRawPointer(p + k).loadUnaligned(as: UInt64.self))
                let count = leadingDigitCount(word)
                if count == 0 { return }
                if digits + count <= 19 {
                    let kept = count == 8 ? word : (word << (64 - 8 * count)) | (0x3030_3030_3030_3030 >> (8 * count))
                    d.mantissa = d.mantissa &* powersOf10Exact[count] &+ eightDigitsValue(kept)
                    digits += count
                    if fraction { d.exponent -= count }
                    k += count
                    if count < 8 { return }
                    continue
                }
            }
            let c = p[k] &- 0x30
            guard c < 10 else { return }
            if digits < 19 {
                // Leading zeros leave the mantissa 0 and are not counted (without a branch).
                d.mantissa = d.mantissa &* 10 &+ UInt64(c)
                digits &+= d.mantissa != 0 ? 1 : 0
                if fraction { d.exponent -= 1 }
            } else {
                if !fraction { d.exponent += 1 }
                if c != 0 { d.truncated = true }
            }
            k += 1
        }
    }

    /// `v` (not negative) with its sign bit set when `negative`: a bit operation, since the sign
    /// of random data is a branch no predictor learns.
    @inline(__always)
    static func withSign(_ v: Double, _ negative: Bool) -> Double {
        Double(bitPattern: v.bitPattern | UInt64(negative ? 1 : 0) << 63)
    }

    @inline(__always)
    static func withSign(_ v: Float, _ negative: Bool) -> Float {
        Float(bitPattern: v.bitPattern | UInt32(negative ? 1 : 0) << 31)
    }

    /// 10^k for k in 0...8.
    static let powersOf10Exact: [UInt64] = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000]

    /// How many of the 8 bytes of `w` (little-endian, the first in the lowest byte) are ASCII
    /// digits before the first that is not. A byte's flag is nonzero unless its high nibble is 3
    /// and its low nibble below 10; a carry out of a byte at or past the first non-digit cannot
    /// reach an earlier byte, so the count is exact whatever follows.
    @inline(__always)
    static func leadingDigitCount(_ w: UInt64) -> Int {
        let flags = ((w & 0xF0F0_F0F0_F0F0_F0F0) | (((w &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0) >> 4)) ^ 0x3333_3333_3333_3333
        return flags.trailingZeroBitCount >> 3 // 64 >> 3 = 8 when all are digits
    }

    /// Whether the 8 bytes of `w` (little-endian) are all ASCII digits.
    @inline(__always)
    static func isEightDigits(_ w: UInt64) -> Bool {
        ((w & 0xF0F0_F0F0_F0F0_F0F0) | (((w &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0) >> 4)) == 0x3333_3333_3333_3333
    }

    /// The value of 8 ASCII digits (the first in the lowest byte).
    @inline(__always)
    static func eightDigitsValue(_ w: UInt64) -> UInt64 {
        var x = w &- 0x3030_3030_3030_3030
        x = (x &* 10) &+ (x >> 8) // pairs
        let mask: UInt64 = 0x0000_00FF_0000_00FF
        let hundreds = (x & mask) &* (100 + (1_000_000 << 32))
        let ones = ((x >> 16) & mask) &* (1 + (10_000 << 32))
        return (hundreds &+ ones) >> 32
    }

    /// mantissa × 10^exponent rounded once to `bits` significant bits, as (m, e2, inexact) with
    /// value m·2^e2; nil when the fast path does not apply.
    @inline(__always)
    static func round(_ d: Decimal, bits: Int) -> (UInt64, Int, Bool)? {
        guard !d.truncated, d.exponent >= -27, d.exponent <= 27 else { return nil }
        let m = d.mantissa
        var q: UInt64
        var sticky: Bool
        var e2: Int
        if d.exponent >= 0 {
            let (hi, lo) = m.multipliedFullWidth(by: powersOf5[d.exponent])
            if hi == 0 {
                (q, sticky, e2) = (lo, false, d.exponent)
            } else {
                let s = 64 - hi.leadingZeroBitCount
                q = (hi << (64 - s)) | (lo >> s)
                sticky = lo & ((1 << s) - 1) != 0
                e2 = d.exponent + s
            }
        } else {
            let k = -d.exponent
            let divisor = powersOf5[k]
            let z = m.leadingZeroBitCount
            let normalized = m << z
            let c = divisor.leadingZeroBitCount + 1 // so that the high word is below the divisor
            let (quotient, remainder) = divisor.dividingFullWidth((normalized >> c, normalized << (64 - c)))
            (q, sticky, e2) = (quotient, remainder != 0, c - 64 - z - k)
        }
        let length = 64 - q.leadingZeroBitCount
        guard length > bits else { return (q, e2, sticky) }
        let shift = length - bits
        var mantissa = q >> shift
        let rest = q & ((1 << shift) - 1)
        let half: UInt64 = 1 << (shift - 1)
        if rest > half || (rest == half && (sticky || mantissa & 1 == 1)) {
            mantissa += 1
            if mantissa == 1 << bits { mantissa >>= 1; e2 += 1 }
        }
        return (mantissa, e2 + shift, rest != 0 || sticky)
    }

    /// Calls `body` with the text as a NUL-terminated C string.
    @inline(__always)
    static func withCString<R>(_ bytes: UnsafeBufferPointer<UInt8>, _ n: JSONNumber, _ body: (UnsafePointer<CChar>) -> R) -> R {
        if n.length < 64 {
            return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buf in
                for k in 0..<n.length { buf[k] = CChar(bitPattern: bytes[n.offset + k]) }
                buf[n.length] = 0
                return body(buf.baseAddress!)
            }
        }
        var copy = [CChar](repeating: 0, count: n.length + 1)
        for k in 0..<n.length { copy[k] = CChar(bitPattern: bytes[n.offset + k]) }
        return copy.withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    /// Whether the number's text is an integer literal (no fraction, no exponent).
    static func isInteger(_ bytes: UnsafeBufferPointer<UInt8>, _ n: JSONNumber) -> Bool {
        for k in n.offset..<(n.offset + n.length) {
            let b = bytes[k]
            if b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E") { return false }
        }
        return true
    }

    /// Outcome codes of the fast converters (no payloads, so the hot loop carries no `Result`).
    static let ok: UInt8 = 0, overflowed: UInt8 = 1, inexactInteger: UInt8 = 2

    /// The number as `Double`, with a problem.
    static func double(_ bytes: UnsafeBufferPointer<UInt8>, _ n: JSONNumber) -> Result<Double, NumberProblem> {
        let (v, status) = doubleValue(bytes, n)
        switch status {
        case ok: return .success(v)
        case overflowed: return .failure(.overflow("float64"))
        default: return .failure(.inexactInteger("float64"))
        }
    }

    /// The number as `Float`, with a problem.
    static func float(_ bytes: UnsafeBufferPointer<UInt8>, _ n: JSONNumber) -> Result<Float, NumberProblem> {
        let (v, status) = floatValue(bytes, n)
        switch status {
        case ok: return .success(v)
        case overflowed: return .failure(.overflow("float32"))
        default: return .failure(.inexactInteger("float32"))
        }
    }

    /// The number as `Double` and an outcome code.
    @inline(__always)
    static func doubleValue(_ bytes: UnsafeBufferPointer<UInt8>, _ n: JSONNumber) -> (Double, UInt8) {
        doubleValue(scan(bytes.baseAddress! + n.offset, n.length), bytes, n)
    }

    /// ``doubleValue(_:_:)`` of the number at `offset`, which a separator or `limit` ends; and
    /// where it ends.
    static func doubleValue(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int, limit: Int) -> (Double, UInt8, Int) {
        var length = 0
        let d = scan(bytes.baseAddress! + offset, limit - offset, end: &length)
        let (v, status) = doubleValue(d, bytes, JSONNumber(offset: offset, length: length))
        return (v, status, offset + length)
    }

    private static func doubleValue(_ d: Decimal, _ bytes: UnsafeBufferPointer<UInt8>, _ n: JSONNumber) -> (Double, UInt8) {
        if d.mantissa == 0 && !d.truncated { return (d.negative ? -0.0 : 0, ok) }
        if !d.isInteger && !d.truncated && d.mantissa <= 1 << 53 && d.exponent >= -22 && d.exponent <= 22 {
            // Clinger's fast path: both operands exact, one correctly rounded operation.
            let v = d.exponent >= 0 ? Double(d.mantissa) * powersOf10[d.exponent] : Double(d.mantissa) / powersOf10[-d.exponent]
            return (withSign(v, d.negative), ok)
        }
        if let (m, e2, inexact) = round(d, bits: 53) {
            let v = Double(sign: d.negative ? .minus : .plus, exponent: e2, significand: Double(m))
            if v.isInfinite { return (v, overflowed) }
            if d.isInteger && inexact { return (v, inexactInteger) }
            return (v, ok)
        }
        let v = withCString(bytes, n) { strtod($0, nil) }
        if v.isInfinite { return (v, overflowed) }
        if d.isInteger && !isExactInteger(bytes, n, v) { return (v, inexactInteger) }
        return (v, ok)
    }

    /// The number as `Float`, rounded once from the text, and an outcome code.
    @inline(__always)
    static func floatValue(_ bytes: UnsafeBufferPointer<UInt8>, _ n: JSONNumber) -> (Float, UInt8) {
        floatValue(scan(bytes.baseAddress! + n.offset, n.length), bytes, n)
    }

    /// ``floatValue(_:_:)`` of the number at `offset`, which a separator or `limit` ends; and
    /// where it ends.
    static func floatValue(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int, limit: Int) -> (Float, UInt8, Int) {
        var length = 0
        let d = scan(bytes.baseAddress! + offset, limit - offset, end: &length)
        let (v, status) = floatValue(d, bytes, JSONNumber(offset: offset, length: length))
        return (v, status, offset + length)
    }

    @inline(__always)
    private static func floatValue(_ d: Decimal, _ bytes: UnsafeBufferPointer<UInt8>, _ n: JSONNumber) -> (Float, UInt8) {
        if d.mantissa == 0 && !d.truncated { return (d.negative ? -0.0 : 0, ok) }
        if !d.isInteger && !d.truncated && d.mantissa <= 1 << 53 && d.exponent >= -22 && d.exponent <= 22 {
            // Clinger's double, then one more rounding to float: exact unless the double fell
            // exactly on a midpoint between two floats (then the long way decides).
            let v = d.exponent >= 0 ? Double(d.mantissa) * powersOf10[d.exponent] : Double(d.mantissa) / powersOf10[-d.exponent]
            if v.significandBitPattern & 0x1FFF_FFFF != 0x1000_0000 {
                let f = withSign(Float(v), d.negative)
                return (f, f.isInfinite ? overflowed : ok)
            }
        }
        if !d.isInteger && !d.truncated && d.exponent >= -22 && d.exponent <= 22 {
            // Long mantissas: a double within 2 ulps of the value, rounded to float, is the
            // correctly rounded float unless it lies that close to a midpoint between floats.
            let approximate = d.exponent >= 0 ? Double(d.mantissa) * powersOf10[d.exponent] : Double(d.mantissa) / powersOf10[-d.exponent]
            let f = Float(approximate)
            if f.isFinite && f.isNormal {
                let center = Double(f)
                let below = (center + Double(f.nextDown)) / 2, above = (center + Double(f.nextUp)) / 2
                let margin = 4 * approximate.ulp
                if approximate - below > margin && above - approximate > margin {
                    return (withSign(f, d.negative), ok)
                }
            }
        }
        if let (m, e2, inexact) = round(d, bits: 24) {
            let v = Float(sign: d.negative ? .minus : .plus, exponent: e2, significand: Float(m))
            if v.isInfinite { return (v, overflowed) }
            if d.isInteger && inexact { return (v, inexactInteger) }
            return (v, ok)
        }
        let v = withCString(bytes, n) { strtof($0, nil) }
        if v.isInfinite { return (v, overflowed) }
        if d.isInteger && !isExactInteger(bytes, n, Double(v)) { return (v, inexactInteger) }
        return (v, ok)
    }

    /// The number as `Int64` (integer literals only).
    static func int64(_ bytes: UnsafeBufferPointer<UInt8>, _ n: JSONNumber) -> Result<Int64, NumberProblem> {
        guard isInteger(bytes, n) else { return .failure(.notInteger) }
        var k = n.offset
        let negative = bytes[k] == UInt8(ascii: "-")
        if negative { k += 1 }
        var magnitude: UInt64 = 0
        while k < n.offset + n.length {
            let (m, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(bytes[k] - 0x30))
            if o1 || o2 { return .failure(.outOfRange("the int64 range")) }
            magnitude = a
            k += 1
        }
        if negative {
            if magnitude > UInt64(Int64.max) + 1 { return .failure(.outOfRange("the int64 range")) }
            return .success(magnitude == UInt64(Int64.max) + 1 ? .min : -Int64(magnitude))
        }
        if magnitude > UInt64(Int64.max) { return .failure(.outOfRange("the int64 range")) }
        return .success(Int64(magnitude))
    }

    /// Whether the integer literal `n` equals `v` (already rounded to the target type) exactly.
    static func isExactInteger(_ bytes: UnsafeBufferPointer<UInt8>, _ n: JSONNumber, _ v: Double) -> Bool {
        var start = n.offset
        if bytes[start] == UInt8(ascii: "-") { start += 1 }
        let digits = n.offset + n.length - start
        let magnitude = Swift.abs(v)
        if digits <= 19 {
            var u: UInt64 = 0
            for k in start..<(n.offset + n.length) { u = u * 10 + UInt64(bytes[k] - 0x30) }
            return magnitude < 18446744073709551616.0 && UInt64(magnitude) == u
        }
        // Compare the literal's digits with the exact decimal expansion of |v| = m·2^e.
        let expansion = decimalDigits(of: magnitude)
        guard expansion.count == digits else { return false }
        for k in 0..<digits where expansion[k] != bytes[start + k] { return false }
        return true
    }

    /// The decimal digits (ASCII) of a non-negative integral double, exactly.
    static func decimalDigits(of v: Double) -> [UInt8] {
        var limbs: [UInt32] = [] // base 10^9, least significant first
        var m = v.significandBitPattern | (1 << 52)
        var e = Int(v.exponent) - 52
        while e < 0 { m >>= 1; e += 1 } // only for values below 2^52, not reached by callers
        while m > 0 { limbs.append(UInt32(m % 1_000_000_000)); m /= 1_000_000_000 }
        for _ in 0..<e {
            var carry: UInt64 = 0
            for k in 0..<limbs.count {
                let x = UInt64(limbs[k]) * 2 + carry
                limbs[k] = UInt32(x % 1_000_000_000)
                carry = x / 1_000_000_000
            }
            if carry > 0 { limbs.append(UInt32(carry)) }
        }
        var text = String(limbs.last ?? 0)
        for limb in limbs.dropLast().reversed() {
            let s = String(limb)
            text += String(repeating: "0", count: 9 - s.count) + s
        }
        return Array(text.utf8)
    }
}
