import Dispatch
@testable import MicroHTTP

/// Servers on free ports for the tests, with an observer that keeps the exchanges.
final class Recorder: Sendable {
    private let exchanges = Locked<[Exchange]>([])
    func record(_ exchange: Exchange) { exchanges.withLock { $0.append(exchange) } }
    var all: [Exchange] { exchanges.withLock { $0 } }
}

/// A gate a handler waits at until the test opens it (a handler that "computes" until told).
final class Gate: Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    private let arrived = DispatchSemaphore(value: 0)
    /// Called by the handler: signals arrival, then waits (at most `seconds`).
    func pass(seconds: Double = 30) {
        arrived.signal()
        _ = semaphore.wait(timeout: .now() + seconds)
    }
    /// Waits until a handler has arrived.
    func waitForArrival(seconds: Double = 10) -> Bool { arrived.wait(timeout: .now() + seconds) == .success }
    /// Lets `n` handlers through.
    func open(_ n: Int = 1) { for _ in 0..<n { semaphore.signal() } }
}

func makeServer(_ configure: (inout ServerConfiguration) -> Void = { _ in }, recorder: Recorder? = nil,
                routes: (inout Router) -> Void) throws -> Server {
    var router = Router()
    router.vocabulary = testVocabulary
    routes(&router)
    var configuration = ServerConfiguration()
    configuration.port = 0
    configuration.threads = 2
    configuration.computeThreads = 2
    configuration.maxBodyBytes = 1 << 20
    configure(&configuration)
    var observer: (@Sendable (Exchange) -> Void)?
    if let recorder { observer = { @Sendable exchange in recorder.record(exchange) } }
    return try Server(configuration: configuration, router: router, observer: observer)
}

/// Waits until `condition` holds or `seconds` pass; returns whether it holds.
func eventually(_ seconds: Double = 10, _ condition: () -> Bool) -> Bool {
    let deadline = MonotonicClock.now() + seconds
    while !condition() {
        if MonotonicClock.now() > deadline { return false }
        usleepMillis(10)
    }
    return true
}

func usleepMillis(_ ms: Int) {
    _ = DispatchSemaphore(value: 0).wait(timeout: .now() + .milliseconds(ms))
}

/// The words the servers of these tests use for the errors the HTTP layer answers itself.
let testVocabulary = ServerVocabulary(problemTypeBase: "https://test.example/problems/", maxBodyBytes: "--max-body-bytes",
                                      maxInflightBytes: "--max-inflight-bytes", maxQueuedRequests: "--max-queued-requests",
                                      drainTimeout: "--drain-timeout")
    .with {
        $0.queueTimeout = "--queue-timeout"
        $0.maxWireBytes = "--max-wire-bytes"
        $0.maxCompressionRatio = "--max-compression-ratio"
        $0.bodyTimeout = "--body-timeout"
        $0.minBodyRate = "--min-body-rate"
    }

extension ServerVocabulary {
    /// A copy changed by `change`.
    func with(_ change: (inout ServerVocabulary) -> Void) -> ServerVocabulary {
        var copy = self
        change(&copy)
        return copy
    }
}
