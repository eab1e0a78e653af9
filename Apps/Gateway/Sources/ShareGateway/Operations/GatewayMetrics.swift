import CoreMetrics
import NIOConcurrencyHelpers
import Prometheus

/// The gateway's Prometheus metrics, recorded through swift-metrics with a factory of the
/// gateway's own (no global bootstrap, so several gateways — and tests — can run in one process):
///
/// - `gateway_requests_total{route, status}` — every answered request; `route` is the matched
///   allowlist entry, an operations endpoint, or `unmatched` (bounded cardinality).
/// - `gateway_upstream_duration_seconds{route}` — histogram of the time to the upstream's
///   response head.
/// - `gateway_upstream_failures_total{reason}` — `timeout`, `unavailable` or `credentials` (a 401: the upstream refused the injected credentials).
/// - `gateway_client_timeouts_total{phase}` — client connections closed for slowness: `head` (the
///   request head did not arrive in time), `body` (nor its body) or `idle` (a keep-alive
///   connection sent no next request).
public final class GatewayMetrics: Sendable {
    /// The registry `/metrics` renders.
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    private let counters = NIOLockedValueBox<[CounterKey: CoreMetrics.Counter]>([:])
    private let timers = NIOLockedValueBox<[String: CoreMetrics.Timer]>([:])
    private let failureCounters: [String: CoreMetrics.Counter]
    private let clientTimeoutCounters: [String: CoreMetrics.Counter]

    private struct CounterKey: Hashable {
        var route: String
        var status: Int
    }

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets["gateway_upstream_duration_seconds"] = [
            .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
            .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
            .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
        ]
        self.factory = factory
        var failures: [String: CoreMetrics.Counter] = [:]
        for reason in ["timeout", "unavailable", "credentials"] {
            failures[reason] = CoreMetrics.Counter(
                label: "gateway_upstream_failures_total", dimensions: [("reason", reason)], factory: factory)
        }
        self.failureCounters = failures
        var timeouts: [String: CoreMetrics.Counter] = [:]
        for phase in ["head", "body", "idle"] {
            timeouts[phase] = CoreMetrics.Counter(label: "gateway_client_timeouts_total", dimensions: [("phase", phase)], factory: factory)
        }
        self.clientTimeoutCounters = timeouts
    }

    /// Counts one answered request.
    public func recordRequest(route: String, status: Int) {
        requestCounter(route: route, status: status).increment()
    }

    /// The counter of requests to `route` answered with `status`; callers that answer many may
    /// keep it and skip this lookup.
    public func requestCounter(route: String, status: Int) -> CoreMetrics.Counter {
        let key = CounterKey(route: route, status: status)
        return counters.withLockedValue { counters in
            if let counter = counters[key] { return counter }
            let counter = CoreMetrics.Counter(
                label: "gateway_requests_total", dimensions: [("route", route), ("status", String(status))], factory: factory)
            counters[key] = counter
            return counter
        }
    }

    /// Records the time the upstream took to answer `route`.
    public func recordUpstreamLatency(route: String, duration: Duration) {
        upstreamLatencyTimer(route: route).recordNanoseconds(Self.nanoseconds(duration))
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    /// The timer of the upstream's answers to `route`; callers may keep it.
    public func upstreamLatencyTimer(route: String) -> CoreMetrics.Timer {
        timers.withLockedValue { timers in
            if let timer = timers[route] { return timer }
            let timer = CoreMetrics.Timer(
                label: "gateway_upstream_duration_seconds", dimensions: [("route", route)], factory: factory)
            timers[route] = timer
            return timer
        }
    }

    /// Counts an upstream failure: `timeout` or `unavailable`.
    public func recordUpstreamFailure(reason: String) {
        failureCounters[reason]?.increment()
    }

    /// Counts a client connection closed for slowness: `head`, `body` or `idle`.
    public func recordClientTimeout(phase: String) {
        clientTimeoutCounters[phase]?.increment()
    }

    /// The Prometheus text exposition.
    public func render() -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(4096)
        registry.emit(into: &buffer)
        return buffer
    }
}
