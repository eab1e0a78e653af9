import Logging
import NIOCore

/// What every client connection's ``ForwardingHandler`` shares: the policy, the upstream pools,
/// metrics, the access log, the client timeouts and the per-client connection count.
final class GatewayForwarder: Sendable {
    let policy: ForwardingPolicy
    let pools: UpstreamPools
    let metrics: GatewayMetrics
    /// How long the upstream has to answer completely (connect, request, response).
    let upstreamTimeout: TimeAmount
    /// How long a client has for a request head, a body, and between keep-alive requests.
    let headTimeout: TimeAmount
    let bodyTimeout: TimeAmount
    let idleTimeout: TimeAmount
    /// Open connections per client address, capped.
    let clientConnections: ClientConnectionCounter
    /// The access log (``AccessLog``), or `nil` when it is off.
    let accessLogger: Logger?

    init(
        policy: ForwardingPolicy, pools: UpstreamPools, metrics: GatewayMetrics, upstreamTimeout: Duration,
        limits: ClientConnectionLimits = .init(), maximumConnectionsPerClient: Int = .max, accessLogger: Logger?
    ) {
        self.policy = policy
        self.pools = pools
        self.metrics = metrics
        self.upstreamTimeout = Self.timeAmount(upstreamTimeout)
        self.headTimeout = Self.timeAmount(limits.headTimeout)
        self.bodyTimeout = Self.timeAmount(limits.bodyTimeout)
        self.idleTimeout = Self.timeAmount(limits.idleTimeout)
        self.clientConnections = ClientConnectionCounter(maximumPerClient: maximumConnectionsPerClient)
        self.accessLogger = accessLogger
    }

    /// A handler for one new client connection.
    func makeHandler() -> ForwardingHandler {
        ForwardingHandler(forwarder: self)
    }

    private static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
