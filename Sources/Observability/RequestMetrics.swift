import MicroHTTP
import Metrics
import Prometheus

/// The service's Prometheus metrics (swift-metrics with swift-prometheus), served at `/metrics`:
/// requests by route and status, latency and stage histograms, requests shed, requests in
/// flight, queued and computing, the memory budget, bytes in and out, and (counted by the API)
/// tensor elements processed.
public final class RequestMetrics: Sendable {
    /// The registry `/metrics` prints.
    let registry = PrometheusCollectorRegistry()
    /// The stages the histogram accepts (a bounded label set).
    static let stages: Set<String> = ["recv", "queue", "parse", "validate", "pool", "encode", "gzip", "total"]

    /// Labels of paths that a protocol labels itself (the /v2 routes: `route` and `model`).
    private let labels: @Sendable (String) -> [(String, String)]?

    /// Bootstraps swift-metrics with the Prometheus backend (once per process).
    public init(labels: @escaping @Sendable (String) -> [(String, String)]? = { _ in nil }) {
        self.labels = labels
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5),
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
        ]
        MetricsSystem.bootstrap(factory)
    }

    /// Records one answered request. The route label is the matched route, or "unknown" for
    /// paths that are not routes (so that clients cannot grow the label set).
    public func record(_ exchange: Exchange) {
        let route = labels(exchange.path) ?? [("route", exchange.route ?? "unknown")]
        Counter(label: "poolserve_requests_total", dimensions: route + [("status", String(exchange.status))]).increment()
        Timer(label: "poolserve_request_duration_seconds", dimensions: route)
            .recordNanoseconds(Int64(exchange.seconds * 1e9))
        Counter(label: "poolserve_request_bytes_total", dimensions: route).increment(by: exchange.bytesIn)
        // Bytes the client received: for an answer it left, what it acknowledged.
        Counter(label: "poolserve_response_bytes_total", dimensions: route).increment(by: max(0, exchange.bytesOut ?? 0))
        if !exchange.complete {
            Counter(label: "poolserve_responses_incomplete_total", dimensions: route).increment()
        }
        if let shed = exchange.shed {
            Counter(label: "poolserve_requests_shed_total", dimensions: [("reason", shed.rawValue)]).increment()
        }
        if exchange.route != nil {
            for timing in exchange.timings where Self.stages.contains(timing.name) {
                Timer(label: "poolserve_stage_duration_seconds", dimensions: [("stage", timing.name)])
                    .recordNanoseconds(Int64(timing.seconds * 1e9))
            }
        }
    }

    /// Records one call of a front end that is not HTTP (gRPC): its own families, labelled
    /// with the `transport`, the method (a bounded set: the served methods, else "unknown") and
    /// the status code's name, so that the HTTP series keep their labels.
    public func recordCall(transport: String, method: String, code: String, seconds: Double) {
        let labels = [("transport", transport), ("method", method)]
        Counter(label: "poolserve_calls_total", dimensions: labels + [("code", code)]).increment()
        Timer(label: "poolserve_call_duration_seconds", dimensions: labels).recordNanoseconds(Int64(seconds * 1e9))
    }

    /// The Prometheus text exposition, with the gauges brought up to date from `statistics` and
    /// `budget` first (the scrape itself, in flight while it runs, is not counted).
    public func exposition(_ statistics: ServerStatistics, budget: MemoryBudget, scrapeInFlight: Bool) -> [UInt8] {
        Gauge(label: "poolserve_requests_in_flight").record(max(0, statistics.requestsInFlight - (scrapeInFlight ? 1 : 0)))
        Gauge(label: "poolserve_requests_queued").record(statistics.requestsQueued)
        Gauge(label: "poolserve_requests_computing").record(statistics.requestsComputing)
        Gauge(label: "poolserve_open_connections").record(statistics.openConnections)
        Gauge(label: "poolserve_inflight_bytes").record(budget.reserved)
        Gauge(label: "poolserve_inflight_bytes_limit").record(budget.limit)
        return registry.emitToBuffer()
    }
}
