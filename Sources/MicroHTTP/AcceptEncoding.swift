/// What a request's `Accept-Encoding` (RFC 9110 §12.5.3) allows.
enum AcceptEncoding {
    /// Whether the client accepts gzip: `gzip` (or `x-gzip`) with a q-value above 0, or `*`
    /// above 0 when gzip is not named.
    static func allowsGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        var gzip: Double?
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
            case "*": star = q
            default: break
            }
        }
        if let gzip { return gzip > 0 }
        return (star ?? 0) > 0
    }
}
