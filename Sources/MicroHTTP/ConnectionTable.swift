import Glibc

/// The open connections and the deadline each has for its next request head: the first
/// within ``ServerConfiguration/headerTimeout`` of connecting, later ones within
/// ``ServerConfiguration/connectionTimeout`` of the previous answer, however slowly the bytes
/// trickle; and for a body, ``ServerConfiguration/bodyTimeout`` after the head plus a second
/// per ``ServerConfiguration/minBodyRate`` bytes received. The server's sweeper closes those past their deadline, and those whose client has
/// gone while no answer is owed to it.
final class ConnectionTable: Sendable {
    /// What a connection is doing.
    enum Phase {
        /// Waiting for (the rest of) a request head.
        case head
        /// Reading a request body.
        case body
        /// Computing or sending an answer: a client that has shut its side still wants it.
        case answering
    }

    private struct Entry {
        let fd: Int32
        /// Monotonic seconds by which a complete head must be in; infinity while a request runs.
        var deadline: Double
        /// Whether the connection has sent a complete head yet.
        var served: Bool
        var phase: Phase
        /// Sweeps in a row that found the client gone in the middle of the body.
        var goneSweeps = 0
    }
    private let entries = Locked<[Int: Entry]>([:])

    /// A new connection on `fd` with `deadline` for its first head.
    func opened(_ connection: OpaquePointer, fd: Int32, deadline: Double) {
        entries.withLock { $0[Int(bitPattern: connection)] = Entry(fd: fd, deadline: deadline, served: false, phase: .head) }
    }

    /// A complete head arrived: its body is due by `bodyDeadline`.
    func headReceived(_ connection: OpaquePointer, bodyDeadline: Double) {
        entries.withLock { table in
            let key = Int(bitPattern: connection)
            table[key]?.deadline = bodyDeadline
            table[key]?.served = true
            table[key]?.phase = .body
        }
    }

    /// Body bytes arrived: the rest is now due by `deadline`.
    func bodyProgress(_ connection: OpaquePointer, deadline: Double) {
        entries.withLock { table in
            let key = Int(bitPattern: connection)
            if table[key]?.phase == .body { table[key]?.deadline = deadline }
        }
    }

    /// The body is in (or refused): an answer is owed from now on, with no deadline.
    func answering(_ connection: OpaquePointer) {
        entries.withLock { table in
            let key = Int(bitPattern: connection)
            table[key]?.phase = .answering
            table[key]?.deadline = .infinity
        }
    }

    /// Answers every connection still receiving a body with `answer` and closes it (at the end
    /// of the drain).
    func refuseBodies(answer: [UInt8]) {
        entries.withLock { table in
            for (key, entry) in table where entry.phase == .body {
                _ = answer.withUnsafeBytes { send(entry.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
                shutdown(entry.fd, Int32(SHUT_RDWR))
                table[key]?.phase = .answering
                table[key]?.deadline = .infinity
            }
        }
    }

    /// An answer was sent and the connection is kept: the next head is due by `deadline`.
    func answered(_ connection: OpaquePointer, nextHeadBy deadline: Double) {
        entries.withLock { table in
            let key = Int(bitPattern: connection)
            table[key]?.deadline = deadline
            table[key]?.phase = .head
        }
    }

    /// The connection closed (libmicrohttpd closes its socket after this).
    func closed(_ connection: OpaquePointer) {
        _ = entries.withLock { $0.removeValue(forKey: Int(bitPattern: connection)) }
    }

    /// Closes every connection past its deadline (one that never sent a complete head gets
    /// `timeoutAnswer` first), and every connection in the middle of a body whose client has
    /// closed (found so on ``goneAfter`` sweeps in a row, so that a body that just completed is
    /// not mistaken for one).
    ///
    /// The second is a workaround: libmicrohttpd 0.9.75 marks a socket as drained after a short
    /// read, so when the client's FIN arrived before that read it never reads again and keeps
    /// the connection (and a half-read body) until the idle timeout. Runs under the table's
    /// lock, so that libmicrohttpd cannot close (and reuse) a socket meanwhile.
    func sweep(now: Double, timeoutAnswer: [UInt8], slowBodyAnswer: [UInt8]) -> Int {
        entries.withLock { table in
            var closed = 0
            for (key, entry) in table {
                if entry.deadline < now {
                    let answer = !entry.served ? timeoutAnswer : entry.phase == .body ? slowBodyAnswer : []
                    if !answer.isEmpty {
                        _ = answer.withUnsafeBytes { send(entry.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
                    }
                } else if entry.phase == .body && Self.peerClosed(entry.fd) {
                    table[key]?.goneSweeps += 1
                    if entry.goneSweeps + 1 < Self.goneAfter { continue }
                } else {
                    table[key]?.goneSweeps = 0
                    continue
                }
                shutdown(entry.fd, Int32(SHUT_RDWR))
                table[key]?.deadline = .infinity
                table[key]?.phase = .answering
                closed += 1
            }
            return closed
        }
    }

    /// Sweeps in a row a client must be found gone before its connection is closed.
    static let goneAfter = 3

    /// Whether the client has closed its side and nothing it sent is left unread.
    private static func peerClosed(_ fd: Int32) -> Bool {
        var byte: UInt8 = 0
        return recv(fd, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT)) == 0
    }
}
