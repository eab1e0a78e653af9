import NIOCore
import NIOHTTP1

/// Receives what an upstream connection reads while an exchange is using it. Called on the
/// connection's event loop, which is also the client connection's.
protocol UpstreamResponseReceiver: AnyObject {
    func upstreamReceived(_ part: HTTPClientResponsePart)
    func upstreamReadComplete()
    func upstreamFailed()
}

/// The last handler of a pooled upstream connection (after NIO's HTTP/1.1 client codec): writes
/// one request at a time and hands the response's parts to the exchange that sent it.
final class UpstreamConnection: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private var context: ChannelHandlerContext?
    /// The exchange waiting for this connection's response; `nil` while pooled.
    var receiver: (any UpstreamResponseReceiver)?
    /// When the connection was last returned to its pool.
    var idleSince: NIODeadline = .now()

    var isActive: Bool { context?.channel.isActive ?? false }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    /// Writes a complete request and flushes it.
    func send(_ head: HTTPRequestHead, body: ByteBuffer?) {
        guard let context else {
            failReceiver()
            return
        }
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if let body { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    func close() {
        context?.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let receiver else {
            // Nothing was asked: an upstream talking out of turn is not reused.
            context.close(promise: nil)
            return
        }
        receiver.upstreamReceived(unwrapInboundIn(data))
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        receiver?.upstreamReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        failReceiver()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failReceiver()
        context.close(promise: nil)
    }

    private func failReceiver() {
        let receiver = self.receiver
        self.receiver = nil
        receiver?.upstreamFailed()
    }
}
