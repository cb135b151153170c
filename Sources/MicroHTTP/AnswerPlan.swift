/// What the server needs to finish an answer off the connection's thread: the request's times,
/// id and whether its client takes gzip.
struct AnswerPlan: Sendable {
    let received: Double
    let bodyDone: Double
    let requestID: String
    let answerCoding: ContentCoding?
}

extension Server {
    /// The plan for `context`'s answer.
    func plan(for context: RequestContext) -> AnswerPlan {
        AnswerPlan(received: context.received, bodyDone: context.bodyDone, requestID: context.id,
                   answerCoding: context.answerCoding)
    }
}
