import Parallelism

/// Standard base64 (RFC 4648 §4, with padding), for the `b64` tensor form: decoded straight
/// into the destination's memory, encoded on all cores for large tensors.
enum Base64 {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    /// Character → 6-bit value, 0xFF for characters outside the alphabet.
    private static let values: [UInt8] = {
        var t = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() { t[Int(c)] = UInt8(i) }
        return t
    }()

    /// The number of bytes `text` decodes to, or nil if its length or padding is wrong.
    static func decodedLength(_ text: UnsafeBufferPointer<UInt8>) -> Int? {
        guard text.count % 4 == 0 else { return nil }
        guard text.count > 0 else { return 0 }
        var pad = 0
        if text[text.count - 1] == UInt8(ascii: "=") {
            pad = text[text.count - 2] == UInt8(ascii: "=") ? 2 : 1
        }
        return text.count / 4 * 3 - pad
    }

    /// Decodes `text` into `out` (which has room for ``decodedLength(_:)`` bytes); false if a
    /// character is outside the alphabet or padding appears before the end.
    static func decode(_ text: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableRawPointer) -> Bool {
        guard let length = decodedLength(text) else { return false }
        let full = length / 3 // groups without padding
        return values.withUnsafeBufferPointer { table in
            let t = table.baseAddress!, s = text.baseAddress!
            var bad: UInt8 = 0
            var o = 0
            for g in 0..<full {
                let a = t[Int(s[4 * g])], b = t[Int(s[4 * g + 1])], c = t[Int(s[4 * g + 2])], d = t[Int(s[4 * g + 3])]
                bad |= a | b | c | d
                let v = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                out.storeBytes(of: UInt8(truncatingIfNeeded: v >> 16), toByteOffset: o, as: UInt8.self)
                out.storeBytes(of: UInt8(truncatingIfNeeded: v >> 8), toByteOffset: o + 1, as: UInt8.self)
                out.storeBytes(of: UInt8(truncatingIfNeeded: v), toByteOffset: o + 2, as: UInt8.self)
                o += 3
            }
            guard bad & 0xC0 == 0 else { return false }
            let rest = length - 3 * full
            guard rest > 0 else { return true }
            let g = 4 * full
            let a = t[Int(s[g])], b = t[Int(s[g + 1])], c = rest == 2 ? t[Int(s[g + 2])] : 0
            guard (a | b | c) & 0xC0 == 0 else { return false }
            let v = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6
            out.storeBytes(of: UInt8(truncatingIfNeeded: v >> 16), toByteOffset: o, as: UInt8.self)
            if rest == 2 { out.storeBytes(of: UInt8(truncatingIfNeeded: v >> 8), toByteOffset: o + 1, as: UInt8.self) }
            return true
        }
    }

    /// The bytes `text` encodes, or nil if it is not padded base64.
    static func decode(_ text: [UInt8]) -> [UInt8]? {
        text.withUnsafeBufferPointer { t in
            guard let n = decodedLength(t) else { return nil }
            var ok = false
            let out = [UInt8](unsafeUninitializedCapacity: n) { buffer, count in
                ok = n == 0 || decode(t, into: UnsafeMutableRawPointer(buffer.baseAddress!))
                count = n
            }
            return ok ? out : nil
        }
    }

    /// Groups of at least this many per chunk pay for a thread hop.
    static let grain = 1 << 15

    /// Appends the encoding of `data` to `out`, on all cores for large inputs.
    static func encode(_ data: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: (data.count + 2) / 3 * 4))
        out.withUnsafeMutableBufferPointer { buffer in encode(data, to: buffer.baseAddress! + start) }
    }

    /// Writes the `(data.count + 2) / 3 * 4` characters of `data`'s encoding at `d`.
    static func encode(_ data: UnsafeRawBufferPointer, to d: UnsafeMutablePointer<UInt8>) {
        let n = data.count
        let groups = n / 3
        alphabet.withUnsafeBufferPointer { table in
            let a = table.baseAddress!
            guard let s = data.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
            Parallel.forEachChunk(groups, grain: grain) { _, range in
                for g in range {
                    let v = UInt32(s[3 * g]) << 16 | UInt32(s[3 * g + 1]) << 8 | UInt32(s[3 * g + 2])
                    d[4 * g] = a[Int(v >> 18)]
                    d[4 * g + 1] = a[Int(v >> 12 & 63)]
                    d[4 * g + 2] = a[Int(v >> 6 & 63)]
                    d[4 * g + 3] = a[Int(v & 63)]
                }
            }
            let rest = n - 3 * groups
            guard rest > 0 else { return }
            let g = groups
            let v = UInt32(s[3 * g]) << 16 | (rest == 2 ? UInt32(s[3 * g + 1]) << 8 : 0)
            d[4 * g] = a[Int(v >> 18)]
            d[4 * g + 1] = a[Int(v >> 12 & 63)]
            d[4 * g + 2] = rest == 2 ? a[Int(v >> 6 & 63)] : UInt8(ascii: "=")
            d[4 * g + 3] = UInt8(ascii: "=")
        }
    }
}

extension JSONWriter {
    /// Appends the base64 text of `data` (no quotes).
    mutating func appendBase64(of data: UnsafeRawBufferPointer) {
        let length = (data.count + 2) / 3 * 4
        append(upTo: length) { buffer in
            Base64.encode(data, to: buffer.baseAddress!.assumingMemoryBound(to: UInt8.self))
            return length
        }
    }
}
