/// A request body's `Content-Encoding` (RFC 9110 §8.4), of those the server decodes.
enum ContentCoding: Equatable {
    /// No coding.
    case identity
    /// gzip (RFC 1952); `x-gzip` is the same.
    case gzip
    /// deflate: the zlib format (RFC 1950), or a raw deflate stream as some clients send it.
    case deflate

    /// The codings the server accepts, for `Accept-Encoding` on a 415.
    static let accepted = "gzip, deflate"

    /// The coding of a `Content-Encoding` value: nil when it names another coding, or more
    /// than one that is not `identity`.
    init?(header: String?) {
        guard let header else { self = .identity; return }
        let codings = header.split(separator: ",").map { String($0).trimmingSpaces().lowercased() }
            .filter { !$0.isEmpty && $0 != "identity" }
        switch codings.count {
        case 0: self = .identity
        case 1:
            switch codings[0] {
            case "gzip", "x-gzip": self = .gzip
            case "deflate": self = .deflate
            default: return nil
            }
        default: return nil
        }
    }

    /// The name in `Content-Encoding`, and of the `Server-Timing` stage that compresses.
    var name: String {
        switch self {
        case .identity: return "identity"
        case .gzip: return "gzip"
        case .deflate: return "deflate"
        }
    }

    /// zlib's window bits for writing this coding (gzip's header and trailer, or zlib's).
    var windowBits: Int32 { self == .gzip ? 15 + 16 : 15 }
}
