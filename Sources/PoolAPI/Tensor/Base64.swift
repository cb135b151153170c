/// Standard base64 (RFC 4648 §4, with padding), for the `b64` tensor form.
enum Base64 {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let values: [UInt8] = {
        var t = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() { t[Int(c)] = UInt8(i) }
        return t
    }()

    /// Appends the encoding of `data` to `out`.
    static func encode(_ data: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        let n = data.count
        out.reserveCapacity(out.count + (n + 2) / 3 * 4)
        var i = 0
        while i + 3 <= n {
            let v = UInt32(data[i]) << 16 | UInt32(data[i + 1]) << 8 | UInt32(data[i + 2])
            out.append(alphabet[Int(v >> 18)]); out.append(alphabet[Int(v >> 12 & 63)])
            out.append(alphabet[Int(v >> 6 & 63)]); out.append(alphabet[Int(v & 63)])
            i += 3
        }
        if n - i == 1 {
            let v = UInt32(data[i]) << 16
            out.append(alphabet[Int(v >> 18)]); out.append(alphabet[Int(v >> 12 & 63)])
            out.append(UInt8(ascii: "=")); out.append(UInt8(ascii: "="))
        } else if n - i == 2 {
            let v = UInt32(data[i]) << 16 | UInt32(data[i + 1]) << 8
            out.append(alphabet[Int(v >> 18)]); out.append(alphabet[Int(v >> 12 & 63)])
            out.append(alphabet[Int(v >> 6 & 63)]); out.append(UInt8(ascii: "="))
        }
    }

    /// The bytes `text` encodes, or nil if it is not canonical padded base64.
    static func decode(_ text: Substring.UTF8View) -> [UInt8]? {
        let chars = Array(text)
        guard chars.count % 4 == 0 else { return nil }
        var pad = 0
        if chars.last == UInt8(ascii: "=") { pad += 1 }
        if chars.count >= 2 && chars[chars.count - 2] == UInt8(ascii: "=") { pad += 1 }
        var out = [UInt8]()
        out.reserveCapacity(chars.count / 4 * 3)
        var i = 0
        while i < chars.count {
            var v: UInt32 = 0
            for k in 0..<4 {
                let c = chars[i + k]
                let isPad = c == UInt8(ascii: "=") && i + 4 == chars.count && k >= 4 - pad
                let d = isPad ? 0 : values[Int(c)]
                if d == 0xFF { return nil }
                v = v << 6 | UInt32(d)
            }
            out.append(UInt8(v >> 16))
            if !(i + 4 == chars.count && pad == 2) { out.append(UInt8(v >> 8 & 0xFF)) }
            if !(i + 4 == chars.count && pad >= 1) { out.append(UInt8(v & 0xFF)) }
            i += 4
        }
        return out
    }
}
