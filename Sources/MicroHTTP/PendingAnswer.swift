
/// The answer to a compute request, handed from the compute pool (or the drain) back to the
/// connection's I/O thread: the first ``answer(_:shed:)`` wins and resumes the connection,
/// whose access handler then takes it with ``take()``.
final class PendingAnswer: Sendable {
    private enum State {
        case waiting
        case answered(Response, ShedReason?)
        case taken
    }
    private let state = Locked(State.waiting)
    private let connection: ConnectionHandle
    /// The request's cancellation signal, raised when the drain answers for it.
    let cancellation: CancellationSignal

    init(connection: ConnectionHandle, cancellation: CancellationSignal) {
        self.connection = connection
        self.cancellation = cancellation
    }

    /// Whether an answer has been given.
    var isAnswered: Bool {
        state.withLock { if case .waiting = $0 { return false } else { return true } }
    }

    /// Gives the answer and resumes the connection, unless an answer was given already.
    @discardableResult
    func answer(_ response: Response, shed: ShedReason? = nil) -> Bool {
        let first = state.withLock { s -> Bool in
            guard case .waiting = s else { return false }
            s = .answered(response, shed)
            return true
        }
        if first { connection.resume() }
        return first
    }

    /// The answer, once (on the connection's thread after the resume).
    func take() -> (Response, ShedReason?)? {
        state.withLock { s -> (Response, ShedReason?)? in
            guard case .answered(let response, let shed) = s else { return nil }
            s = .taken
            return (response, shed)
        }
    }
}

/// The compute requests waiting for their answers, so that the drain can answer them all.
final class PendingRegistry: Sendable {
    private struct State {
        var open = true
        var answers: [ObjectIdentifier: PendingAnswer] = [:]
    }
    private let state = Locked(State())

    /// Adds `pending`; false once the registry is closed (the server is stopping).
    func add(_ pending: PendingAnswer) -> Bool {
        state.withLock { s in
            guard s.open else { return false }
            s.answers[ObjectIdentifier(pending)] = pending
            return true
        }
    }

    /// Removes `pending`.
    func remove(_ pending: PendingAnswer) {
        _ = state.withLock { $0.answers.removeValue(forKey: ObjectIdentifier(pending)) }
    }

    /// Closes the registry and returns what it held.
    func close() -> [PendingAnswer] {
        state.withLock { s in
            s.open = false
            return Array(s.answers.values)
        }
    }
}
