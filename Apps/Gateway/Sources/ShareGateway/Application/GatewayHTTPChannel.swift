import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import NIOSSL

/// The gateway's HTTP/1.1 connection: ``ForwardingHandler`` first, reading and writing bytes, and
/// behind it Hummingbird's `HTTP1Channel` pipeline for the requests it passes on (the operations
/// endpoints and the console).
///
/// The pipeline: TLS (`NIOSSLServerHandler`, when HTTPS is served) → ``ForwardingHandler`` → NIO's HTTP/1.1 codec → ``RouterResponseObserver`` →
/// `HTTP1ToHTTPServerCodec` → Hummingbird's connection state handler (idle and quiesce) → the
/// router's async channel.
struct GatewayHTTPChannel: HTTPChannelHandler {
    typealias Value = NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>

    let responder: HTTPChannelHandler.Responder
    let forwarder: GatewayForwarder
    /// The HTTPS certificate; `nil` for plain HTTP.
    let tls: ReloadableServerTLS?

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let pipeline = channel.pipeline.syncOperations
            if let tls {
                // The context current now: a reload later does not change this connection's.
                try pipeline.addHandler(NIOSSLServerHandler(context: tls.context))
            }
            let forwarding = forwarder.makeHandler()
            try pipeline.addHandler(forwarding)
            try pipeline.addHandler(HTTPResponseEncoder())
            try pipeline.addHandler(ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes)))
            try pipeline.addHandler(RouterResponseObserver(forwarding: forwarding))
            try pipeline.addHandler(HTTP1ToHTTPServerCodec(secure: tls != nil))
            try pipeline.addHandler(HTTPConnectionStateHandler(logger: logger))
            return try NIOAsyncChannel(wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
        }
    }

    func handle(value asyncChannel: Value, logger: Logger) async {
        await handleHTTP(asyncChannel: asyncChannel, logger: logger)
    }
}
