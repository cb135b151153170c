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

/// Exact conversion of JSON number text: correctly rounded (C's strtod / strtof), with the
/// contract's checks for overflow and for integers beyond float precision.
enum NumberConversion {
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

    /// The number as `Double`.
    static func double(_ bytes: UnsafeBufferPointer<UInt8>, _ n: JSONNumber) -> Result<Double, NumberProblem> {
        let v = withCString(bytes, n) { strtod($0, nil) }
        if v.isInfinite { return .failure(.overflow("float64")) }
        if n.isInteger && !isExactInteger(bytes, n, v) { return .failure(.inexactInteger("float64")) }
        return .success(v)
    }

    /// The number as `Float`, rounded once from the text.
    static func float(_ bytes: UnsafeBufferPointer<UInt8>, _ n: JSONNumber) -> Result<Float, NumberProblem> {
        let v = withCString(bytes, n) { strtof($0, nil) }
        if v.isInfinite { return .failure(.overflow("float32")) }
        if n.isInteger && !isExactInteger(bytes, n, Double(v)) { return .failure(.inexactInteger("float32")) }
        return .success(v)
    }

    /// The number as `Int64` (integer literals only).
    static func int64(_ bytes: UnsafeBufferPointer<UInt8>, _ n: JSONNumber) -> Result<Int64, NumberProblem> {
        guard n.isInteger else { return .failure(.notInteger) }
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
