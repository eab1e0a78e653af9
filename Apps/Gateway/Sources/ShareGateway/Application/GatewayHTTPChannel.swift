import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// The gateway's HTTP/1.1 connection: Hummingbird's `HTTP1Channel` pipeline with a
/// ``ForwardingHandler`` placed before the conversion to swift-http-types, so forwarded requests
/// stay in NIO's `HTTPHeaders` from the client's socket to the upstream's and back; the requests
/// it passes on reach Hummingbird's router exactly as in `HTTP1Channel`.
///
/// The pipeline: NIO's HTTP/1.1 server codec → ``ForwardingHandler`` → `HTTP1ToHTTPServerCodec` →
/// Hummingbird's connection state handler (idle and quiesce) → the router's async channel.
struct GatewayHTTPChannel: HTTPChannelHandler {
    typealias Value = NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>

    let responder: HTTPChannelHandler.Responder
    let forwarder: GatewayForwarder

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                withPipeliningAssistance: false,  // ForwardingHandler and the router's channel keep the order
                withErrorHandling: false,  // answered by Hummingbird's connection handler, as in HTTP1Channel
                withOutboundHeaderValidation: false  // headers come validated from HTTPFields or from upstream's decoder
            )
            try channel.pipeline.syncOperations.addHandler(forwarder.makeHandler())
            try channel.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
            try channel.pipeline.syncOperations.addHandler(HTTPConnectionStateHandler(logger: logger))
            return try NIOAsyncChannel(wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
        }
    }

    func handle(value asyncChannel: Value, logger: Logger) async {
        await handleHTTP(asyncChannel: asyncChannel, logger: logger)
    }
}
