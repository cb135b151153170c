/// A response body written in pieces while the client reads it, so that a large answer need
/// not exist as one whole text (see ``PiecewiseBody``). The server calls ``read(into:)`` on one
/// of its I/O threads, one call at a time, until it returns 0.
public protocol BodyProducer: AnyObject, Sendable {
    /// The body's total length when known (sent as `Content-Length`); nil sends it chunked.
    var length: Int? { get }
    /// The bytes the producer holds until it is done (the tensor it writes from), counted
    /// against the server's memory budget while the body is sent.
    var retainedBytes: Int { get }
    /// Writes the next bytes into `buffer` and returns how many; 0 at the end, a negative
    /// number to abort the response (the connection is closed).
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int
}
