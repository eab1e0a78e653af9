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
    /// The access log (``AccessLog``), or `nil` when it is off.
    let accessLogger: Logger?

    init(policy: ForwardingPolicy, pools: UpstreamPools, metrics: GatewayMetrics, upstreamTimeout: Duration, accessLogger: Logger?) {
        self.policy = policy
        self.pools = pools
        self.metrics = metrics
        let (seconds, attoseconds) = upstreamTimeout.components
        self.upstreamTimeout = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        self.accessLogger = accessLogger
    }

    /// A handler for one new client connection.
    func makeHandler() -> ForwardingHandler {
        ForwardingHandler(forwarder: self)
    }
}
