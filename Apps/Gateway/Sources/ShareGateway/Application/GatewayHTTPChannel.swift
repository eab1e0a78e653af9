import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// The gateway's HTTP/1.1 connection: ``ForwardingHandler`` first, reading and writing bytes, and
/// behind it Hummingbird's `HTTP1Channel` pipeline for the requests it passes on (the operations
/// endpoints and the console).
///
/// The pipeline: ``ForwardingHandler`` → NIO's HTTP/1.1 codec → ``RouterResponseObserver`` →
/// `HTTP1ToHTTPServerCodec` → Hummingbird's connection state handler (idle and quiesce) → the
/// router's async channel.
struct GatewayHTTPChannel: HTTPChannelHandler {
    typealias Value = NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>

    let responder: HTTPChannelHandler.Responder
    let forwarder: GatewayForwarder

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let pipeline = channel.pipeline.syncOperations
            let forwarding = forwarder.makeHandler()
            try pipeline.addHandler(forwarding)
            try pipeline.addHandler(HTTPResponseEncoder())
            try pipeline.addHandler(ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes)))
            try pipeline.addHandler(RouterResponseObserver(forwarding: forwarding))
            try pipeline.addHandler(HTTP1ToHTTPServerCodec(secure: false))
            try pipeline.addHandler(HTTPConnectionStateHandler(logger: logger))
            return try NIOAsyncChannel(wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
        }
    }

    func handle(value asyncChannel: Value, logger: Logger) async {
        await handleHTTP(asyncChannel: asyncChannel, logger: logger)
    }
}
