import Glibc
import Synchronization

/// The open connections and the deadline each has for its next request head: the first
/// within ``ServerConfiguration/headerTimeout`` of connecting, later ones within
/// ``ServerConfiguration/connectionTimeout`` of the previous answer, however slowly the bytes
/// trickle. The server's sweeper closes those past their deadline.
final class ConnectionTable: Sendable {
    private struct Entry {
        let fd: Int32
        /// Monotonic seconds by which a complete head must be in; infinity while a request runs.
        var deadline: Double
        /// Whether the connection has sent a complete head yet.
        var served: Bool
    }
    private let entries = Mutex<[Int: Entry]>([:])

    /// A new connection on `fd` with `deadline` for its first head.
    func opened(_ connection: OpaquePointer, fd: Int32, deadline: Double) {
        entries.withLock { $0[Int(bitPattern: connection)] = Entry(fd: fd, deadline: deadline, served: false) }
    }

    /// A complete head arrived: no head deadline while the request runs.
    func headReceived(_ connection: OpaquePointer) {
        entries.withLock { $0[Int(bitPattern: connection)]?.deadline = .infinity; $0[Int(bitPattern: connection)]?.served = true }
    }

    /// An answer was sent and the connection is kept: the next head is due by `deadline`.
    func answered(_ connection: OpaquePointer, nextHeadBy deadline: Double) {
        entries.withLock { $0[Int(bitPattern: connection)]?.deadline = deadline }
    }

    /// The connection closed (libmicrohttpd closes its socket after this).
    func closed(_ connection: OpaquePointer) {
        _ = entries.withLock { $0.removeValue(forKey: Int(bitPattern: connection)) }
    }

    /// Closes every connection past its deadline: one that never sent a complete head gets
    /// `timeoutAnswer` first. Runs under the table's lock, so that libmicrohttpd cannot close
    /// (and reuse) a socket meanwhile.
    func closeExpired(now: Double, timeoutAnswer: [UInt8]) -> Int {
        entries.withLock { table in
            var closed = 0
            for (key, entry) in table where entry.deadline < now {
                if !entry.served {
                    _ = timeoutAnswer.withUnsafeBytes { send(entry.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
                }
                shutdown(entry.fd, Int32(SHUT_RDWR))
                table[key]?.deadline = .infinity
                closed += 1
            }
            return closed
        }
    }
}
