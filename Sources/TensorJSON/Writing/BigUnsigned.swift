/// A small arbitrary-precision unsigned integer (32-bit limbs, least significant first), enough
/// to compute the exact power-of-five tables of ``Float32Text`` once.
struct BigUnsigned {
    var limbs: [UInt32]

    init(_ v: UInt64) { limbs = [UInt32(truncatingIfNeeded: v), UInt32(truncatingIfNeeded: v >> 32)]; trim() }

    /// 2^k.
    init(powerOfTwo k: Int) {
        limbs = [UInt32](repeating: 0, count: k / 32 + 1)
        limbs[k / 32] = 1 << UInt32(k % 32)
    }

    /// b^e.
    static func power(_ b: UInt32, _ e: Int) -> BigUnsigned {
        var r = BigUnsigned(1)
        for _ in 0..<e { r.multiply(by: b) }
        return r
    }

    mutating func trim() { while limbs.count > 1 && limbs.last == 0 { limbs.removeLast() } }

    mutating func multiply(by m: UInt32) {
        var carry: UInt64 = 0
        for k in 0..<limbs.count {
            let x = UInt64(limbs[k]) * UInt64(m) + carry
            limbs[k] = UInt32(truncatingIfNeeded: x)
            carry = x >> 32
        }
        if carry > 0 { limbs.append(UInt32(carry)) }
    }

    /// The lowest 64 bits.
    var low64: UInt64 { UInt64(limbs[0]) | (limbs.count > 1 ? UInt64(limbs[1]) << 32 : 0) }

    /// self · 2^s.
    func shiftedLeft(_ s: Int) -> BigUnsigned {
        let words = s / 32, bits = UInt32(s % 32)
        var r = BigUnsigned(0)
        r.limbs = [UInt32](repeating: 0, count: words) + limbs + [0]
        if bits > 0 {
            var carry: UInt32 = 0
            for k in words..<r.limbs.count {
                let v = r.limbs[k]
                r.limbs[k] = (v << bits) | carry
                carry = v >> (32 - bits)
            }
        }
        r.trim()
        return r
    }

    /// ⌊self / 2^s⌋.
    func shiftedRight(_ s: Int) -> BigUnsigned {
        let words = s / 32, bits = UInt32(s % 32)
        guard words < limbs.count else { return BigUnsigned(0) }
        var r = BigUnsigned(0)
        r.limbs = Array(limbs[words...])
        if bits > 0 {
            for k in 0..<r.limbs.count {
                let next = k + 1 < r.limbs.count ? r.limbs[k + 1] : 0
                r.limbs[k] = (r.limbs[k] >> bits) | (next << (32 - bits))
            }
        }
        r.trim()
        return r
    }

    /// ⌊self / d⌋ by long division in bits (slow, exact: for tables only).
    mutating func divided(by d: BigUnsigned) -> BigUnsigned {
        var quotient = BigUnsigned(0)
        var remainder = BigUnsigned(0)
        for bit in stride(from: limbs.count * 32 - 1, through: 0, by: -1) {
            remainder = remainder.shiftedLeft(1)
            if limbs[bit / 32] >> UInt32(bit % 32) & 1 == 1 { remainder.limbs[0] |= 1 }
            if remainder >= d {
                remainder.subtract(d)
                while quotient.limbs.count <= bit / 32 { quotient.limbs.append(0) }
                quotient.limbs[bit / 32] |= 1 << UInt32(bit % 32)
            }
        }
        quotient.trim()
        return quotient
    }

    mutating func subtract(_ o: BigUnsigned) {
        var borrow: Int64 = 0
        for k in 0..<limbs.count {
            var x = Int64(limbs[k]) - borrow - (k < o.limbs.count ? Int64(o.limbs[k]) : 0)
            borrow = 0
            if x < 0 { x += 1 << 32; borrow = 1 }
            limbs[k] = UInt32(x)
        }
        trim()
    }

    static func >= (a: BigUnsigned, b: BigUnsigned) -> Bool {
        if a.limbs.count != b.limbs.count { return a.limbs.count > b.limbs.count }
        for k in stride(from: a.limbs.count - 1, through: 0, by: -1) where a.limbs[k] != b.limbs[k] {
            return a.limbs[k] > b.limbs[k]
        }
        return true
    }
}
