import NIOCore
import ShareCore

/// Receives what an upstream connection reads while an exchange is using it. Called on the
/// connection's event loop, which is also the client connection's.
protocol UpstreamResponseReceiver: AnyObject {
    /// The final response head (interim `1xx` responses are skipped), how its body is framed,
    /// and the whole body when it has a length and came with the head.
    func upstreamResponseHead(_ head: ParsedResponseHead, framing: BodyFraming, body: ByteBuffer?)
    /// Body bytes to relay: as they arrived, chunk framing included, unless the request asked for
    /// them decoded.
    func upstreamResponseBody(_ bytes: ByteBuffer)
    /// The response is complete; `reusable` tells whether the connection can serve another request.
    func upstreamResponseEnd(reusable: Bool)
    func upstreamReadComplete()
    /// The connection failed, closed or sent something that is not HTTP before the response ended.
    func upstreamFailed(_ failure: UpstreamFailure)
}

/// The only handler of a pooled upstream connection (after TLS, for `https`): writes one request
/// at a time, as the bytes ``ForwardingPolicy`` built, and reads the response with
/// ``HTTPHeadParser`` and ``BodyFraming``, handing its head and body to the exchange that sent it.
final class UpstreamConnection: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// The longest response head accepted.
    static let maximumHeadSize = 64 * 1024

    private enum State {
        case idle
        case head(scanned: Int)
        case body(BodyFraming)
    }

    private var context: ChannelHandlerContext?
    private var state = State.idle
    private var inbound = ByteBuffer.drained
    private var method = "GET"
    private var decodesChunks = false
    private var keepAlive = false
    /// The array response heads' field lists are built in, reused once the last response is done.
    private var fieldStorage: [HTTPMessageHead.Field] = []
    /// The exchange waiting for this connection's response; `nil` while pooled.
    var receiver: (any UpstreamResponseReceiver)?
    /// When the connection was last returned to its pool.
    var idleSince: NIODeadline = .now()

    var isActive: Bool { context?.channel.isActive ?? false }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    /// Writes a complete request (head and body in `request`) and flushes it. `decodingChunks`
    /// asks for a chunked response's data without its framing (for an HTTP/1.0 client).
    func send(_ request: ByteBuffer, method: String, decodingChunks: Bool) {
        guard let context else {
            failReceiver(.closedEarly)
            return
        }
        self.method = method
        self.decodesChunks = decodingChunks
        state = .head(scanned: 0)
        context.writeAndFlush(wrapOutboundOut(request), promise: nil)
    }

    func close() {
        context?.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        if case .idle = state {
            // Nothing was asked: an upstream talking out of turn is not reused.
            context.close(promise: nil)
            return
        }
        if inbound.readableBytes == 0 {
            inbound = buffer
        } else {
            inbound.writeBuffer(&buffer)
        }
        do {
            try process()
        } catch {
            failReceiver(.malformedResponse)
            context.close(promise: nil)
        }
    }

    private func process() throws {
        while let receiver {
            switch state {
            case .idle:
                return
            case .head(var scanned):
                guard let length = try HTTPHeadParser.headLength(of: inbound, scanned: &scanned, limit: Self.maximumHeadSize) else {
                    state = .head(scanned: scanned)
                    return
                }
                let head = try HTTPHeadParser.parseResponse(inbound.readSlice(length: length)!, fieldStorage: &fieldStorage)
                if head.status < 200 {
                    // Interim responses (100 Continue) are the upstream's business with the gateway;
                    // a switch of protocols was never asked for.
                    guard head.status != 101 else { throw HTTPHeadParser.Failure.malformed("unexpected 101") }
                    state = .head(scanned: 0)
                    continue
                }
                var framing = try BodyFraming.response(head, requestMethod: method)
                keepAlive = head.isKeepAlive
                var body: ByteBuffer?
                if case .length(let length) = framing, inbound.readableBytes >= length {
                    body = inbound.readSlice(length: length)
                    framing = .none
                }
                state = .body(framing)
                receiver.upstreamResponseHead(head, framing: framing, body: body)
            case .body(var framing):
                let complete: Bool
                if case .chunked = framing, !decodesChunks {
                    let raw = try framing.readRaw(&inbound)
                    if let bytes = raw.bytes { receiver.upstreamResponseBody(bytes) }
                    complete = raw.complete
                } else {
                    complete = try framing.read(&inbound) { receiver.upstreamResponseBody($0) }
                }
                guard complete else {
                    state = .body(framing)
                    if inbound.readableBytes == 0 { inbound = .drained }
                    return
                }
                state = .idle
                // Bytes after the response were never asked for: such a connection is not reused.
                let reusable = keepAlive && inbound.readableBytes == 0
                inbound = .drained
                self.receiver = nil
                receiver.upstreamResponseEnd(reusable: reusable)
                return
            }
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        receiver?.upstreamReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if case .body(.untilClose) = state, let receiver {
            // A body delimited by the connection's end has ended.
            state = .idle
            self.receiver = nil
            receiver.upstreamResponseEnd(reusable: false)
        } else {
            failReceiver(.closedEarly)
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failReceiver(.connectionError)
        context.close(promise: nil)
    }

    private func failReceiver(_ failure: UpstreamFailure) {
        state = .idle
        let receiver = self.receiver
        self.receiver = nil
        receiver?.upstreamFailed(failure)
    }
}
