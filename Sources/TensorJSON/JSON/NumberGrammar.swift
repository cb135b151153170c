/// JSON's number grammar (RFC 8259 §6), written once for the parser and the parallel number runs:
/// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
enum NumberGrammar {
    /// Why the bytes at a position are not a number.
    enum Failure: Error {
        case noDigitAfterMinus, leadingZero, noDigitAfterPoint, noExponentDigit

        /// A message for people.
        var message: String {
            switch self {
            case .noDigitAfterMinus: return "a number needs a digit after '-'"
            case .leadingZero: return "a number may not have a leading zero"
            case .noDigitAfterPoint: return "a number needs a digit after '.'"
            case .noExponentDigit: return "a number needs a digit in its exponent"
            }
        }
    }

    /// Moves `k` past one number in `p[k..<end]`; returns why not when there is none there.
    @inline(__always)
    static func skip(_ p: UnsafePointer<UInt8>, _ k: inout Int, _ end: Int) -> Failure? {
        if k < end && p[k] == UInt8(ascii: "-") { k += 1 }
        guard k < end, isDigit(p[k]) else { return .noDigitAfterMinus }
        if p[k] == UInt8(ascii: "0") {
            k += 1
            if k < end && isDigit(p[k]) { return .leadingZero }
        } else {
            skipDigits(p, &k, end)
        }
        if k < end && p[k] == UInt8(ascii: ".") {
            k += 1
            guard k < end, isDigit(p[k]) else { return .noDigitAfterPoint }
            skipDigits(p, &k, end)
        }
        if k < end && (p[k] == UInt8(ascii: "e") || p[k] == UInt8(ascii: "E")) {
            k += 1
            if k < end && (p[k] == UInt8(ascii: "+") || p[k] == UInt8(ascii: "-")) { k += 1 }
            guard k < end, isDigit(p[k]) else { return .noExponentDigit }
            skipDigits(p, &k, end)
        }
        return nil
    }

    /// Whether `b` is an ASCII digit.
    @inline(__always)
    static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

    /// Moves `k` past a run of digits, eight at a time where it can.
    @inline(__always)
    static func skipDigits(_ p: UnsafePointer<UInt8>, _ k: inout Int, _ end: Int) {
        while k + 8 <= end, NumberConversion.isEightDigits(UInt64(littleEndian: UnsafeRawPointer(p + k).loadUnaligned(as: UInt64.self))) {
            k += 8
        }
        while k < end && isDigit(p[k]) { k += 1 }
    }
}
