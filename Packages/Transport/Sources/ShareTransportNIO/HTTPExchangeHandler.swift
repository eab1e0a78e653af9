import NIOCore
import NIOHTTP1
import ShareTransport

/// The last handler of a pooled connection's pipeline: writes one request at a time, buffers its
/// response, enforces the exchange's time limits with a single timer, and hands the connection
/// back to the pool — or closes it — when the answer is complete.
///
/// Every method runs on the connection's event loop.
final class HTTPExchangeHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    /// The head and buffered body of a complete response.
    struct Answer: Sendable {
        var head: HTTPResponseHead
        var body: ByteBuffer?
    }

    typealias Continuation = UnsafeContinuation<Answer, any Error>

    /// The request in flight.
    private struct Exchange {
        let token: ExchangeToken
        let continuation: Continuation
        /// Whether the request allows the connection to be kept alive afterwards.
        let requestKeepsAlive: Bool
        let limit: ExchangeLimit?
        var head: HTTPResponseHead?
        var body: ByteBuffer?
        var lastRead: NIODeadline
        var timer: NIOScheduledCallback?
    }

    /// Calls back into the handler when the exchange's timer fires.
    private struct ExchangeTimer: NIOScheduledCallbackHandler {
        let handler: HTTPExchangeHandler
        func handleScheduledCallback(eventLoop: some EventLoop) { handler.timerFired() }
    }

    private let pool: ConnectionPool
    private let key: RequestTarget.Key
    private let readTimeout: TimeAmount
    private let maximumBodyBytes: Int
    private var context: ChannelHandlerContext?
    private var exchange: Exchange?

    init(pool: ConnectionPool, key: RequestTarget.Key, readTimeout: TimeAmount, maximumBodyBytes: Int) {
        self.pool = pool
        self.key = key
        self.readTimeout = readTimeout
        self.maximumBodyBytes = maximumBodyBytes
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) {
        fail(TransportError(.connectionFailed, detail: "the connection's handler was removed"))
        self.context = nil
    }

    /// Writes `head` and `body`, and resumes `continuation` with the answer or an error.
    func start(_ head: HTTPRequestHead, body: ByteBuffer?, token: ExchangeToken, limit: ExchangeLimit?, continuation: Continuation) {
        guard let context, context.channel.isActive, exchange == nil else {
            continuation.resume(throwing: TransportError(.connectionFailed, detail: "the connection closed before the request was sent"))
            return
        }
        let now = NIODeadline.now()
        exchange = Exchange(
            token: token, continuation: continuation, requestKeepsAlive: head.isKeepAlive, limit: limit,
            lastRead: now
        )
        armTimer(context: context, now: now)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if let body, body.readableBytes > 0 { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    /// Cancels the exchange of `token`, if it is still the one in flight, and closes the connection.
    func cancel(_ token: ExchangeToken) {
        guard let exchange, exchange.token === token else { return }
        fail(CancellationError())
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard exchange != nil else {
            // Bytes nobody asked for: the connection cannot be trusted any more.
            context.close(promise: nil)
            return
        }
        switch unwrapInboundIn(data) {
        case .head(let head):
            exchange!.lastRead = .now()
            if let length = head.headers.first(name: "content-length").flatMap(Int.init), length > maximumBodyBytes {
                fail(TransportError(.bodyTooLarge, detail: "response of \(length) bytes, limit \(maximumBodyBytes)"))
                return
            }
            exchange!.head = head
        case .body(var part):
            exchange!.lastRead = .now()
            let buffered = exchange!.body?.readableBytes ?? 0
            guard buffered + part.readableBytes <= maximumBodyBytes else {
                fail(TransportError(.bodyTooLarge, detail: "response over \(maximumBodyBytes) bytes"))
                return
            }
            if exchange!.body == nil {
                exchange!.body = part
            } else {
                exchange!.body!.writeBuffer(&part)
            }
        case .end:
            complete(context: context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(TransportError(.connectionFailed, detail: "\(error)", underlying: error))
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(TransportError(.connectionFailed, detail: "the connection closed before the response was complete"))
        context.fireChannelInactive()
    }

    private func complete(context: ChannelHandlerContext) {
        guard let finished = exchange else { return }
        exchange = nil
        finished.timer?.cancel()
        guard let head = finished.head else {
            context.close(promise: nil)
            finished.continuation.resume(throwing: TransportError(.connectionFailed, detail: "a response ended without a head"))
            return
        }
        if finished.requestKeepsAlive && head.isKeepAlive {
            pool.release(PooledConnection(channel: context.channel, handler: NIOLoopBound(self, eventLoop: context.eventLoop)), key: key)
        } else {
            context.close(promise: nil)
        }
        finished.continuation.resume(returning: Answer(head: head, body: finished.body))
    }

    /// Ends the exchange in flight, if any, with `error`, and closes the connection.
    private func fail(_ error: any Error) {
        guard let failed = exchange else { return }
        exchange = nil
        failed.timer?.cancel()
        context?.close(promise: nil)
        failed.continuation.resume(throwing: error)
    }

    /// Schedules the timer at the earlier of the deadline and the end of the allowed silence.
    private func armTimer(context: ChannelHandlerContext, now: NIODeadline) {
        guard let current = exchange else { return }
        var fireAt = current.lastRead + readTimeout
        if let limit = current.limit, limit.deadline < fireAt { fireAt = limit.deadline }
        do {
            exchange!.timer = try context.eventLoop.assumeIsolated().scheduleCallback(at: fireAt, handler: ExchangeTimer(handler: self))
        } catch {
            fail(TransportError(.connectionFailed, detail: "could not schedule the response timeout", underlying: error))
        }
    }

    private func timerFired() {
        guard let current = exchange, let context else { return }
        let now = NIODeadline.now()
        if let limit = current.limit, now >= limit.deadline {
            fail(limit.error)
        } else if now - current.lastRead >= readTimeout {
            fail(TransportError(.timedOut, detail: "no response data for \(readTimeout)"))
        } else {
            armTimer(context: context, now: now)
        }
    }
}

/// Identifies one request on a connection, so that a late cancellation cannot reach the next
/// request sent on the same connection.
final class ExchangeToken: Sendable {}
