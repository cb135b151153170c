import CMicroHTTPD

extension Server {
    /// Every quarter second: closes connections past their head deadline or left by their
    /// client, and gives freed memory back to the system after large requests.
    func sweep() {
        let timeout = ProblemDetails(words, status: 408, slug: ProblemType.timeout, title: "Request timeout",
                                     detail: "the request head did not arrive within \(configuration.headerTimeout) s (\(words.headerTimeout))")
        let now = MonotonicClock.now()
        let slow = ProblemDetails.bodyTooSlow(words, seconds: configuration.bodyTimeout, rate: configuration.minBodyRate)
        _ = connections.sweep(now: now, timeoutAnswer: RawAnswer.bytes(timeout.response, requestID: nil),
                              slowBodyAnswer: RawAnswer.bytes(slow.response, requestID: nil))
        // Compute requests still queued past their deadline are answered now, and never started.
        let late = pending.queuedPast(now)
        if !late.isEmpty {
            let problem = ProblemDetails.queueTimedOut(words, seconds: configuration.queueTimeout, retryAfter: configuration.retryAfterSeconds)
            for answer in late { answer.expire { path, plan in finalize(router.errorResponse(problem, path: path), plan, extra: []) } }
        }
        let bodyFreed = MHDResponse.largeBodyFreed.exchange(false, ordering: .relaxed)
        if trimWanted.exchange(false, ordering: .relaxed) || bodyFreed {
            // glibc keeps freed memory in its arenas (the mmap threshold grows up to 32 MiB);
            // hand the free pages back so that RSS falls after large or abandoned bodies.
            cmhd_release_free_memory()
        }
    }
}
