/// The names the service gives its operators and clients, in one place: the prefix of its
/// problem type URIs and the command-line flags that set each limit (each also read from the
/// environment as `POOLSERVE_` and the flag's name in capitals). Messages that tell a client
/// or an operator which limit was reached name the flag from here.
public enum ServiceNames {
    /// The prefix of every problem `type` URI the service answers.
    public static let problemTypeBase = "https://poolserve.dev/problems/"

    /// The flags that set the service's limits.
    public enum Flag {
        /// Elements per tensor (``Limits/maxElements``).
        public static let maxElements = "--max-elements"
        /// Work units per request (``Limits/maxWork``).
        public static let maxWork = "--max-work"
        /// The largest request body.
        public static let maxBodyBytes = "--max-body-bytes"
        /// The memory budget of the requests in flight.
        public static let maxInflightBytes = "--max-inflight-bytes"
        /// The compute queue's length.
        public static let maxQueuedRequests = "--max-queued-requests"
        /// The drain deadline.
        public static let drainTimeout = "--drain-timeout"
        /// How long a request may wait for a compute thread.
        public static let queueTimeout = "--queue-timeout"
        /// How long a connection has to send its request head.
        public static let headerTimeout = "--header-timeout"
        /// The most body bytes read off the wire.
        public static let maxWireBytes = "--max-wire-bytes"
        /// The most a compressed body may grow when decoded.
        public static let maxCompressionRatio = "--max-compression-ratio"
        /// How long a body has after its head (before the rate extends it).
        public static let bodyTimeout = "--body-timeout"
        /// The body rate that extends its time.
        public static let minBodyRate = "--min-body-rate"
    }
}
