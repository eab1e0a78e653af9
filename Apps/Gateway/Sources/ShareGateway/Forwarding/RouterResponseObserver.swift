import NIOCore
import NIOHTTP1

/// Tells the connection's ``ForwardingHandler`` when the router has written the end of a
/// response, so that requests pipelined behind the router's are handled only then (HTTP/1.1
/// answers in order). Sits between Hummingbird's conversion to swift-http-types and NIO's
/// HTTP/1.1 codec, where responses are still parts rather than bytes.
final class RouterResponseObserver: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let forwarding: ForwardingHandler

    init(forwarding: ForwardingHandler) {
        self.forwarding = forwarding
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let isEnd: Bool
        if case .end = unwrapOutboundIn(data) { isEnd = true } else { isEnd = false }
        context.write(data, promise: promise)
        if isEnd { forwarding.routerResponseEnded() }
    }
}
