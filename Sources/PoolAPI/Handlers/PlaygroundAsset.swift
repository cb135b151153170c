import MicroHTTP

/// One file of the playground page, embedded in the binary, with the validator it is served with.
///
/// The `ETag` is a strong validator: the FNV-1a 64-bit hash of the bytes, which change only with
/// the binary.
struct PlaygroundAsset: Sendable {
    /// The `Content-Type` the file is served with.
    let contentType: String
    /// The file's bytes.
    let body: [UInt8]
    /// The quoted strong entity tag of `body`.
    let etag: String

    init(contentType: String, body: [UInt8]) {
        self.contentType = contentType
        self.body = body
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in body {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        etag = "\"" + String(repeating: "0", count: 16 - hex.count) + hex + "\""
    }

    /// Whether an `If-None-Match` field value names this file's tag (or is `*`). Entity tags are
    /// compared weakly, as RFC 9110 § 13.1.2 asks for `If-None-Match`.
    func isMatched(by ifNoneMatch: String?) -> Bool {
        guard let value = ifNoneMatch else { return false }
        for item in value.split(separator: ",") {
            var tag = item.trimmingCharacters(inSet: " \t")
            if tag == "*" { return true }
            if tag.hasPrefix("W/") { tag.removeFirst(2) }
            if tag == etag { return true }
        }
        return false
    }
}

extension Substring {
    /// The text without leading and trailing characters of `set`.
    fileprivate func trimmingCharacters(inSet set: String) -> String {
        var s = self
        while let c = s.first, set.contains(c) { s.removeFirst() }
        while let c = s.last, set.contains(c) { s.removeLast() }
        return String(s)
    }
}
