import CMicroHTTPD

extension Server {
    /// Bytes dropped after an answer given in the middle of a body before the connection is
    /// closed (the client has had its answer; more is not read).
    static let discardAfterEarlyAnswer = 16 << 20

    /// A piece of body: appended (decoded first when the body is gzip or deflate) while it fits
    /// the body limit and the memory budget; past either, answered at once (413, 503).
    func body(_ context: RequestContext, _ connection: OpaquePointer, _ bytes: UnsafeRawBufferPointer) -> MHD_Result {
        context.bytesIn += bytes.count
        if case .reading = context.phase {
            let due = context.received + configuration.bodyTimeout + Double(context.bytesIn) / Double(max(1, configuration.minBodyRate))
            connections.bodyProgress(connection, deadline: due)
            if context.bytesIn > configuration.maxWireBytes {
                return answerEarly(render(ProblemDetails.wireTooLarge(words, limit: configuration.maxWireBytes), context), context, connection)
            }
        }
        switch context.phase {
        case .reading:
            break
        case .discarding(let answer):
            context.discarded += bytes.count
            if context.discarded <= configuration.maxBodyBytes && MonotonicClock.now() < context.discardDeadline { return .YES }
            // Too much body to read past for a kept connection: answer now, then close.
            return answerEarly(answer, context, connection)
        case .answeredEarly:
            context.discarded += bytes.count
            return context.discarded <= Self.discardAfterEarlyAnswer && MonotonicClock.now() < context.discardDeadline ? .YES : .NO
        case .head, .computing, .answered:
            return .NO
        }
        let limit = configuration.maxBodyBytes
        if let inflater = context.inflater {
            do throws(Inflater.Failure) {
                try inflater.decode(bytes, into: &context.body, limit: limit)
                let ratio = configuration.maxCompressionRatio
                if context.body.count > 1 << 20 && context.body.count / max(1, context.bytesIn) > ratio {
                    return answerEarly(render(ProblemDetails.ratioTooHigh(words, ratio: ratio), context), context, connection)
                }
            } catch .tooLarge {
                return answerEarly(render(ProblemDetails.bodyTooLarge(words, limit: limit, decoded: true), context), context, connection)
            } catch {
                context.body = []
                let problem = ProblemDetails(words, status: 400, slug: ProblemType.badEncoding, title: "Bad content encoding",
                                             detail: "the body does not decode as \(context.headers["content-encoding"] ?? ""): \(error)")
                context.discardDeadline = MonotonicClock.now() + Double(configuration.connectionTimeout)
                context.phase = .discarding(answer: render(problem, context))
                return .YES
            }
        } else {
            guard context.body.count + bytes.count <= limit else {
                return answerEarly(render(ProblemDetails.bodyTooLarge(words, limit: limit, decoded: false), context), context, connection)
            }
            context.body.append(contentsOf: bytes)
        }
        // Undeclared and decoded bodies reserve as they grow.
        guard context.memory.grow(toAtLeast: reservation(for: context.body.count)) else {
            context.shed = .memory
            return answerEarly(render(ProblemDetails.overBudget(words, retryAfter: configuration.retryAfterSeconds), context), context, connection)
        }
        return .YES
    }

    /// The body is complete (or the request resumed with its answer): runs the handler, or sends
    /// what was decided before.
    func complete(_ context: RequestContext, _ connection: OpaquePointer) -> MHD_Result {
        switch context.phase {
        case .head, .answered:
            return .YES
        case .answeredEarly:
            return .NO // the answer is out; close rather than read on
        case .discarding(let answer):
            connections.answering(connection)
            return answerNow(answer, context, connection)
        case .computing(let answer):
            guard let (response, shed) = answer.take() else { return .YES }
            pending.remove(answer)
            if let shed { context.shed = shed }
            return queue(response, context, connection)
        case .reading:
            break
        }
        connections.answering(connection)
        if let inflater = context.inflater {
            do throws(Inflater.Failure) {
                try inflater.finish()
            } catch {
                let problem = ProblemDetails(words, status: 400, slug: ProblemType.badEncoding, title: "Bad content encoding",
                                             detail: "the \(context.headers["content-encoding"] ?? "") body ends before its end")
                return answerNow(render(problem, context), context, connection)
            }
            context.inflater = nil
        }
        context.bodyDone = MonotonicClock.now()
        guard let route = context.route else { return .NO }
        switch route.kind {
        case .inline:
            let response = route.handler(context.takeRequest(words))
            return queue(finalize(response, plan(for: context), extra: []), context, connection)
        case .compute:
            return compute(route, context, connection)
        }
    }
}
