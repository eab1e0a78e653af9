import Logging
import NIOCore

/// What every client connection's ``ForwardingHandler`` shares: the policy, the upstream pools,
/// metrics and the access log.
final class GatewayForwarder: Sendable {
    let policy: ForwardingPolicy
    let pools: UpstreamPools
    let metrics: GatewayMetrics
    /// How long the upstream has to answer completely (connect, request, response).
    let upstreamTimeout: TimeAmount
    /// The access log, or `nil` when it is off.
    let accessLogger: Logger?
    /// Unexpected failures.
    let logger: Logger

    init(policy: ForwardingPolicy, pools: UpstreamPools, metrics: GatewayMetrics, upstreamTimeout: Duration, accessLogger: Logger?, logger: Logger) {
        self.policy = policy
        self.pools = pools
        self.metrics = metrics
        let (seconds, attoseconds) = upstreamTimeout.components
        self.upstreamTimeout = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        self.accessLogger = accessLogger
        self.logger = logger
    }

    /// A handler for one new client connection.
    func makeHandler() -> ForwardingHandler {
        ForwardingHandler(forwarder: self)
    }

    /// One access-log line: method, route, status, duration, request id and client address —
    /// never a header value or a body.
    func logAccess(requestID: String, method: String, route: String, status: Int, duration: Duration, client: String) {
        guard let accessLogger else { return }
        accessLogger.info(
            "request",
            metadata: [
                "request.id": .string(requestID),
                "method": .string(method),
                "route": .string(route),
                "status": .stringConvertible(status),
                "duration_ms": .stringConvertible(Self.milliseconds(duration)),
                "client": .string(client),
            ]
        )
    }

    static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return ((Double(seconds) * 1000 + Double(attoseconds) / 1e15) * 1000).rounded() / 1000
    }
}
