/// What a request's `Accept-Encoding` (RFC 9110 §12.5.3) allows.
enum AcceptEncoding {
    /// The coding to compress an answer with: gzip or deflate, whichever has the higher q-value
    /// above 0 (gzip on a tie), with `*` standing for either one not named; nil for none.
    static func preferred(_ header: String?) -> ContentCoding? {
        guard let header else { return nil }
        var gzip: Double?
        var deflate: Double?
        var star: Double?
        for item in header.split(separator: ",") {
            let parts = item.split(separator: ";").map { String($0).trimmingSpaces() }
            guard let coding = parts.first?.lowercased(), !coding.isEmpty else { continue }
            var q = 1.0
            for parameter in parts.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1).map { String($0).trimmingSpaces() }
                if pair.count == 2, pair[0].lowercased() == "q" { q = Double(pair[1]).map { min(max($0, 0), 1) } ?? 0 }
            }
            switch coding {
            case "gzip", "x-gzip": gzip = max(gzip ?? 0, q)
            case "deflate": deflate = max(deflate ?? 0, q)
            case "*": star = q
            default: break
            }
        }
        let g = gzip ?? star ?? 0, d = deflate ?? star ?? 0
        if g > 0 && g >= d { return .gzip }
        return d > 0 ? .deflate : nil
    }
}
