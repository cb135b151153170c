import MicroHTTP
import Metrics
import Prometheus

/// The service's Prometheus metrics (swift-metrics with swift-prometheus), served at `/metrics`:
/// requests by route and status, a latency histogram by route, requests in flight, bytes in
/// and out, and (counted by the API) tensor elements processed.
final class RequestMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let router: Router
    /// Labels of paths that a protocol labels itself (the /v2 routes: `route` and `model`).
    private let labels: @Sendable (String) -> [(String, String)]?

    /// Bootstraps swift-metrics with the Prometheus backend (once per process).
    init(router: Router, labels: @escaping @Sendable (String) -> [(String, String)]? = { _ in nil }) {
        self.router = router
        self.labels = labels
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5),
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
        ]
        MetricsSystem.bootstrap(factory)
    }

    /// The route label of a path: the path itself for known routes, else "unknown" (so that
    /// clients cannot grow the label set without bound).
    func route(_ path: String) -> String {
        router.allowedMethods(for: path).isEmpty ? "unknown" : path
    }

    /// Records one finished request.
    func record(_ request: Request, _ response: Response, seconds: Double) {
        let route = labels(request.path) ?? [("route", route(request.path))]
        Counter(label: "poolserve_requests_total", dimensions: route + [("status", String(response.status))]).increment()
        Timer(label: "poolserve_request_duration_seconds", dimensions: route)
            .recordNanoseconds(Int64(seconds * 1e9))
        Counter(label: "poolserve_request_bytes_total", dimensions: route).increment(by: request.body.count)
        Counter(label: "poolserve_response_bytes_total", dimensions: route).increment(by: response.body.count)
    }

    /// The Prometheus text exposition, with the in-flight gauge brought up to date first.
    func exposition(inFlight: Int) -> [UInt8] {
        Gauge(label: "poolserve_requests_in_flight").record(inFlight)
        return registry.emitToBuffer()
    }
}
