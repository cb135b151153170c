
/// The answer to a compute request, handed from the compute pool (or the drain) back to the
/// connection's I/O thread: the first ``answer(_:shed:)`` wins and resumes the connection,
/// whose access handler then takes it with ``take()``.
final class PendingAnswer: Sendable {
    private enum State {
        /// Not answered yet: queued (with the request, handed over when it starts) or running.
        case waiting(started: Bool, request: Request?)
        case answered(Response, ShedReason?)
        case taken
    }
    private let state: Locked<State>
    private let connection: ConnectionHandle
    /// The request's cancellation signal, raised when the drain answers for it.
    let cancellation: CancellationSignal
    /// When the request must have started (monotonic seconds), and what its answer is made
    /// from if it has not (made only then, off the hot path).
    private let late: (deadline: Double, path: String, plan: AnswerPlan)?

    init(connection: ConnectionHandle, cancellation: CancellationSignal, request: Request? = nil,
         late: (deadline: Double, path: String, plan: AnswerPlan)? = nil) {
        state = Locked(.waiting(started: false, request: request))
        self.connection = connection
        self.cancellation = cancellation
        self.late = late
    }

    /// Marks the request started (on a compute thread) and hands it over; nil when it was
    /// answered meanwhile (its queue deadline passed, or the drain), and must not start. An
    /// answered request's body is freed then, not when its turn comes.
    func start() -> Request? {
        state.withLock { s in
            guard case .waiting(_, let request) = s else { return nil }
            s = .waiting(started: true, request: nil)
            return request
        }
    }

    /// Whether the request is still queued at `now`, past its deadline.
    func isQueued(pastDeadlineAt now: Double) -> Bool {
        guard let late, now >= late.deadline else { return false }
        return state.withLock { if case .waiting(started: false, _) = $0 { return true } else { return false } }
    }

    /// Answers a request whose queue deadline passed before it started, with what `answer`
    /// makes of its path and plan.
    func expire(_ answer: (_ path: String, _ plan: AnswerPlan) -> Response) {
        guard let late else { return }
        let response = answer(late.path, late.plan)
        let expired = state.withLock { s -> Bool in
            guard case .waiting(started: false, _) = s else { return false }
            s = .answered(response, .queue)
            return true
        }
        if expired { connection.resume() }
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

    /// The requests still queued past their deadline at `now`.
    func queuedPast(_ now: Double) -> [PendingAnswer] {
        state.withLock { s in s.answers.values.filter { $0.isQueued(pastDeadlineAt: now) } }
    }

    /// Closes the registry and returns what it held.
    func close() -> [PendingAnswer] {
        state.withLock { s in
            s.open = false
            return Array(s.answers.values)
        }
    }
}
