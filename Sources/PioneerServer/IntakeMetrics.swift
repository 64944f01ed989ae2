// The intake server's metrics, through swift-metrics into a Prometheus registry of its own
// (not the process-wide MetricsSystem, which can be bootstrapped once: two servers in one
// test process keep separate counts). `GET /metrics` writes the registry out.
import Metrics
import Prometheus

/// Submissions by outcome, request latency, store errors.
public final class IntakeMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory

    /// The outcomes a submission can have, as the `outcome` label spells them.
    static let outcomes = ["created", "duplicate", "malformed", "forbidden", "unprocessable"]

    public init() {
        let registry = PrometheusCollectorRegistry()
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        // Loopback answers take a few milliseconds: finer buckets at the low end than the default.
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
            .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
            .milliseconds(2500), .seconds(5), .seconds(10),
        ]
        self.factory = factory
        // Every series from the start, at zero, so a dashboard sees them before the first event.
        for outcome in Self.outcomes {
            _ = Counter(label: "pioneer_submissions_total", dimensions: [("outcome", outcome)], factory: factory)
        }
        _ = Counter(label: "pioneer_store_errors_total", factory: factory)
    }

    /// One submission answered with `outcome` (one of ``outcomes``).
    func submission(_ outcome: String) {
        Counter(label: "pioneer_submissions_total", dimensions: [("outcome", outcome)], factory: factory).increment()
    }

    /// The database failed a request.
    func storeError() {
        Counter(label: "pioneer_store_errors_total", factory: factory).increment()
    }

    /// One request answered: its route (the template, not the path, so ids do not make new series), status and time.
    func request(method: String, route: String, status: Int, duration: Duration) {
        let dimensions = [("method", method), ("route", route), ("status", String(status))]
        Counter(label: "pioneer_http_requests_total", dimensions: dimensions, factory: factory).increment()
        Metrics.Timer(label: "pioneer_http_request_duration_seconds", dimensions: dimensions, factory: factory)
            .recordNanoseconds(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }

    /// The Prometheus text exposition of every metric.
    public func exposition() -> [UInt8] {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }
}
