/// The shortest decimal digits of a float32 that read back to it, and their text, without a
/// `String` or a division per digit of the input: Ryū (Adams, PLDI 2018) for 32-bit floats.
///
/// A finite nonzero float is m·2^e exactly. Its rounding interval holds every real that reads
/// back to it: (m − ½)·2^e … (m + ½)·2^e (the lower half-gap is ¼ at a power of two, and the
/// bounds count when m is even). Ryū scales the interval's ends and its middle by 10^q (q chosen
/// so that the scaled values fit 32 bits) with one 64-bit multiplication each, by tables of
/// 5^q and 2^k/5^q, then drops decimal digits while the ends still differ: what is left is the
/// shortest decimal in the interval, the middle's digits rounded half to even.
enum Float32Text {
    /// 2^(⌈log₂ 5^q⌉ − 1 + 59) / 5^q + 1 for q in 0...31, exact (computed once).
    static let inverseSplit: [UInt64] = (0...31).map { q in
        var numerator = BigUnsigned(powerOfTwo: pow5bits(q) - 1 + inverseBits)
        return numerator.divided(by: BigUnsigned.power(5, q)).low64 + 1
    }

    /// 5^i shifted to 61 bits, for i in 0...47, exact (computed once).
    static let split: [UInt64] = (0...47).map { i in
        let shift = pow5bits(i) - splitBits
        let p = BigUnsigned.power(5, i)
        return shift >= 0 ? p.shiftedRight(shift).low64 : p.shiftedLeft(-shift).low64
    }

    static let inverseBits = 59
    static let splitBits = 61

    /// ⌈log₂ 5^e⌉ for e ≥ 1 (1 for e = 0).
    @inline(__always) static func pow5bits(_ e: Int) -> Int { ((e &* 1_217_359) >> 19) + 1 }
    /// ⌊log₁₀ 2^e⌋.
    @inline(__always) static func log10Pow2(_ e: Int) -> Int { (e &* 78_913) >> 18 }
    /// ⌊log₁₀ 5^e⌋.
    @inline(__always) static func log10Pow5(_ e: Int) -> Int { (e &* 732_923) >> 20 }

    /// ⌊m · factor / 2^shift⌋ for shift > 32.
    @inline(__always)
    static func mulShift(_ m: UInt32, _ factor: UInt64, _ shift: Int) -> UInt32 {
        let low = UInt64(m) &* (factor & 0xFFFF_FFFF)
        let high = UInt64(m) &* (factor >> 32)
        return UInt32(truncatingIfNeeded: ((low >> 32) &+ high) >> (shift - 32))
    }

    @inline(__always) static func multipleOfPowerOf5(_ v: UInt32, _ p: Int) -> Bool {
        var v = v
        var count = 0
        while v % 5 == 0 && v != 0 { v /= 5; count += 1 }
        return count >= p
    }

    @inline(__always) static func multipleOfPowerOf2(_ v: UInt32, _ p: Int) -> Bool { v & ((1 << UInt32(p)) &- 1) == 0 }

    /// The shortest digits d and exponent x with d·10^x reading back to `bits` (finite, nonzero).
    @inline(__always)
    static func shortest(_ bits: UInt32) -> (digits: UInt32, exponent: Int) {
        let mantissa = bits & 0x7F_FFFF
        let biased = Int((bits >> 23) & 0xFF)
        let (e2, m2): (Int, UInt32) = biased == 0 ? (1 - 127 - 23 - 2, mantissa) : (biased - 127 - 23 - 2, mantissa | (1 << 23))
        let acceptBounds = m2 & 1 == 0
        let mv = 4 &* m2
        let mp = 4 &* m2 &+ 2
        let mmShift: UInt32 = mantissa != 0 || biased <= 1 ? 1 : 0
        let mm = 4 &* m2 &- 1 &- mmShift
        var vr: UInt32, vp: UInt32, vm: UInt32
        var e10: Int
        var vmIsTrailingZeros = false, vrIsTrailingZeros = false
        var lastRemovedDigit: UInt32 = 0
        if e2 >= 0 {
            let q = log10Pow2(e2)
            e10 = q
            let k = inverseBits + pow5bits(q) - 1
            let i = -e2 + q + k
            vr = mulShift(mv, inverseSplit[q], i)
            vp = mulShift(mp, inverseSplit[q], i)
            vm = mulShift(mm, inverseSplit[q], i)
            if q != 0 && (vp &- 1) / 10 <= vm / 10 {
                let l = inverseBits + pow5bits(q - 1) - 1
                lastRemovedDigit = mulShift(mv, inverseSplit[q - 1], -e2 + q - 1 + l) % 10
            }
            if q <= 9 {
                if mv % 5 == 0 {
                    vrIsTrailingZeros = multipleOfPowerOf5(mv, q)
                } else if acceptBounds {
                    vmIsTrailingZeros = multipleOfPowerOf5(mm, q)
                } else if multipleOfPowerOf5(mp, q) {
                    vp &-= 1
                }
            }
        } else {
            let q = log10Pow5(-e2)
            e10 = q + e2
            let i = -e2 - q
            let k = pow5bits(i) - splitBits
            let j = q - k
            vr = mulShift(mv, split[i], j)
            vp = mulShift(mp, split[i], j)
            vm = mulShift(mm, split[i], j)
            if q != 0 && (vp &- 1) / 10 <= vm / 10 {
                let j2 = q - 1 - (pow5bits(i + 1) - splitBits)
                lastRemovedDigit = mulShift(mv, split[i + 1], j2) % 10
            }
            if q <= 1 {
                vrIsTrailingZeros = true
                if acceptBounds { vmIsTrailingZeros = mmShift == 1 } else { vp &-= 1 }
            } else if q < 31 {
                vrIsTrailingZeros = multipleOfPowerOf2(mv, q - 1)
            }
        }
        var removed = 0
        let output: UInt32
        if vmIsTrailingZeros || vrIsTrailingZeros {
            while vp / 10 > vm / 10 {
                vmIsTrailingZeros = vmIsTrailingZeros && vm % 10 == 0
                vrIsTrailingZeros = vrIsTrailingZeros && lastRemovedDigit == 0
                lastRemovedDigit = vr % 10
                vr /= 10; vp /= 10; vm /= 10
                removed += 1
            }
            if vmIsTrailingZeros {
                while vm % 10 == 0 {
                    vrIsTrailingZeros = vrIsTrailingZeros && lastRemovedDigit == 0
                    lastRemovedDigit = vr % 10
                    vr /= 10; vp /= 10; vm /= 10
                    removed += 1
                }
            }
            if vrIsTrailingZeros && lastRemovedDigit == 5 && vr % 2 == 0 { lastRemovedDigit = 4 }
            output = vr &+ ((vr == vm && (!acceptBounds || !vmIsTrailingZeros)) || lastRemovedDigit >= 5 ? 1 : 0)
        } else {
            while vp / 10 > vm / 10 {
                lastRemovedDigit = vr % 10
                vr /= 10; vp /= 10; vm /= 10
                removed += 1
            }
            output = vr &+ (vr == vm || lastRemovedDigit >= 5 ? 1 : 0)
        }
        return (output, e10 + removed)
    }

    /// Writes the shortest text of a finite nonzero float at `p` and returns its length: plain
    /// decimal for fractions from 0.0000ddd to 15 digits before the point, else `d.ddde±x` (so
    /// never an integer literal: integral floats below 2^24 are written as integers elsewhere).
    /// At most 16 bytes.
    @inline(__always)
    static func write(_ v: Float, to p: UnsafeMutablePointer<UInt8>) -> Int {
        let bits = v.bitPattern
        var n = 0
        if bits >> 31 != 0 { p[0] = UInt8(ascii: "-"); n = 1 }
        let (digits, exponent) = shortest(bits & 0x7FFF_FFFF)
        // The digits, most significant first, into a small buffer.
        var length = 1
        var probe = digits
        while probe >= 10 { probe /= 10; length += 1 }
        let point = length + exponent // digits before the decimal point
        if point > 0 && point <= 15 && exponent < 0 {
            // d.ddd: a fraction. (No trailing zeros: a float of 2^24 or more written as a long
            // integer literal would be refused as an integer float32 cannot hold exactly.)
            writeDigits(digits, length, to: p + n + 1)
            for k in 0..<point { p[n + k] = p[n + k + 1] }
            p[n + point] = UInt8(ascii: ".")
            n += length + 1
        } else if point <= 0 && point >= -4 {
            p[n] = UInt8(ascii: "0"); p[n + 1] = UInt8(ascii: ".")
            n += 2
            for _ in 0..<(-point) { p[n] = UInt8(ascii: "0"); n += 1 }
            writeDigits(digits, length, to: p + n)
            n += length
        } else {
            writeDigits(digits, length, to: p + n + 1)
            p[n] = p[n + 1]
            if length > 1 { p[n + 1] = UInt8(ascii: "."); n += length + 1 } else { n += 1 }
            p[n] = UInt8(ascii: "e"); n += 1
            var e = point - 1
            if e < 0 { p[n] = UInt8(ascii: "-"); n += 1; e = -e }
            if e >= 10 { p[n] = UInt8(e / 10) + 0x30; n += 1 }
            p[n] = UInt8(e % 10) + 0x30; n += 1
        }
        return n
    }

    /// Writes the `length` decimal digits of `v` at `p`, two at a time.
    @inline(__always)
    static func writeDigits(_ v: UInt32, _ length: Int, to p: UnsafeMutablePointer<UInt8>) {
        var v = v
        var k = length
        while k >= 2 {
            let r = v % 100
            v /= 100
            p[k - 1] = UInt8(r % 10) + 0x30
            p[k - 2] = UInt8(r / 10) + 0x30
            k -= 2
        }
        if k == 1 { p[0] = UInt8(v) + 0x30 }
    }
}
