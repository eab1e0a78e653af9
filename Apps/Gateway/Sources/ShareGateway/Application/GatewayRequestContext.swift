import Hummingbird
import NIOCore

/// The request context of the gateway: Hummingbird's core storage, the peer address (the only
/// client identity the gateway trusts — never `X-Forwarded-For`) and the request id chosen by
/// ``RequestObservationMiddleware``.
public struct GatewayRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The TCP peer; `nil` in router tests without a socket.
    public let remoteAddress: SocketAddress?
    /// The `X-Request-Id` of this request (the client's when well-formed, else generated).
    public var requestID: String = ""

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }

    /// The key the rate limiter counts this client under: its IP address.
    var clientKey: String {
        remoteAddress?.ipAddress ?? "local"
    }
}
