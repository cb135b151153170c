import CMicroHTTPD

extension Server {
    /// Runs a compute route on the pool: the connection is suspended (its I/O thread serves
    /// others meanwhile) until the answer is in, then resumed and the answer queued.
    func compute(_ route: Route, _ context: RequestContext, _ connection: OpaquePointer) -> MHD_Result {
        guard let pool else { return .NO }
        let plan = plan(for: context)
        let timeout = configuration.queueTimeout
        let late = timeout > 0 ? (deadline: MonotonicClock.now() + timeout, path: context.target.path, plan: plan) : nil
        let answer = PendingAnswer(connection: ConnectionHandle(pointer: connection), cancellation: context.cancellation,
                                   request: context.takeRequest(words), late: late)
        context.phase = .computing(answer)
        // libmicrohttpd 0.9.75 keeps a suspended connection's last event state (reading), and
        // after the resume reads the socket before it calls this handler again: a client that
        // has shut its side after the request is then taken for gone and never answered. A
        // connection with its own timeout is visited (and answered) before that read, so it
        // gets one here, before it is suspended (the list it is in changes only then).
        cmhd_set_timeout(connection, answeringTimeout)
        context.sendTimeoutSet = true
        // Suspend before anyone can resume: the answer may come before this call returns.
        MHD_suspend_connection(connection)
        let retryAfter = configuration.retryAfterSeconds
        guard pending.add(answer) else {
            answer.answer(finalize(render(ProblemDetails.stopped(words, retryAfter: retryAfter), context), plan, extra: []),
                          shed: .draining)
            return .YES
        }
        let handler = route.handler
        let submitted = pool.submit { [self] in
            guard let request = answer.start() else { return }
            let started = MonotonicClock.now()
            let response = handler(request)
            answer.answer(finalize(response, plan, extra: [StageTiming("queue", seconds: started - plan.bodyDone)]), shed: response.shed)
        }
        if !submitted {
            answer.answer(finalize(render(ProblemDetails.queueFull(words, retryAfter: retryAfter), context), plan, extra: []), shed: .queue)
        }
        return .YES
    }
}
