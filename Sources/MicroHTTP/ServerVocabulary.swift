/// The words the HTTP layer uses in the errors it answers itself, given by the application: the
/// prefix of its problem type URIs and the names under which its operators set each limit (a
/// command-line flag, an environment variable, a configuration key). The layer knows neither.
public struct ServerVocabulary: Sendable, Equatable {
    /// The prefix of every problem `type` URI; nil writes `about:blank` (RFC 9457 §4.2.1).
    public var problemTypeBase: String?
    /// How an operator sets ``ServerConfiguration/maxBodyBytes``.
    public var maxBodyBytes: String
    /// How an operator sets ``ServerConfiguration/maxInflightBytes``.
    public var maxInflightBytes: String
    /// How an operator sets ``ServerConfiguration/maxQueuedRequests``.
    public var maxQueuedRequests: String
    /// How an operator sets the drain deadline after which computations are stopped.
    public var drainTimeout: String
    /// How an operator sets ``ServerConfiguration/queueTimeout``.
    public var queueTimeout: String = "queueTimeout"
    /// How an operator sets ``ServerConfiguration/headerTimeout``.
    public var headerTimeout: String = "headerTimeout"
    /// How an operator sets ``ServerConfiguration/maxWireBytes``.
    public var maxWireBytes: String = "maxWireBytes"
    /// How an operator sets ``ServerConfiguration/maxCompressionRatio``.
    public var maxCompressionRatio: String = "maxCompressionRatio"
    /// How an operator sets ``ServerConfiguration/bodyTimeout``.
    public var bodyTimeout: String = "bodyTimeout"
    /// How an operator sets ``ServerConfiguration/minBodyRate``.
    public var minBodyRate: String = "minBodyRate"

    /// A vocabulary; the defaults name the settings of ``ServerConfiguration``.
    public init(problemTypeBase: String? = nil, maxBodyBytes: String = "maxBodyBytes",
                maxInflightBytes: String = "maxInflightBytes", maxQueuedRequests: String = "maxQueuedRequests",
                drainTimeout: String = "the drain timeout") {
        self.problemTypeBase = problemTypeBase
        self.maxBodyBytes = maxBodyBytes
        self.maxInflightBytes = maxInflightBytes
        self.maxQueuedRequests = maxQueuedRequests
        self.drainTimeout = drainTimeout
    }

    /// The problem type URI of `slug` (`not-found`): the base and the slug, or `about:blank`.
    public func problemType(_ slug: String) -> String {
        problemTypeBase.map { $0 + slug } ?? "about:blank"
    }
}
