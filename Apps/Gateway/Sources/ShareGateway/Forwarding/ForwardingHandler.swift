import Foundation
import NIOCore
import NIOHTTP1

/// Forwards a client connection's API requests on the connection's own event loop.
///
/// Sits in the connection's pipeline after NIO's HTTP/1.1 codec and before the conversion to
/// swift-http-types that Hummingbird's router reads (``GatewayHTTPChannel``): requests for
/// the operations endpoints (`/healthz`, `/readyz`, `/metrics`, the console) pass through to the
/// router; every other request is checked by ``ForwardingPolicy``, answered here when refused,
/// and otherwise written to an upstream connection borrowed from this loop's
/// ``UpstreamConnectionPool``, whose response parts are relayed back as they arrive. A forwarded
/// request creates no task, continuation or timer beyond the upstream timeout's one scheduled task.
///
/// HTTP/1.1 answers in order: while one request is answered (here or by the router), the parts of
/// requests pipelined behind it wait in a queue and the connection stops reading.
///
/// Graceful shutdown: the server's quiesce event is held back while a forwarded request is in
/// flight and passed on to Hummingbird's connection handler when it completes, so in-flight
/// requests finish before the connection closes.
final class ForwardingHandler: ChannelDuplexHandler, RemovableChannelHandler, UpstreamResponseReceiver {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let forwarder: GatewayForwarder
    private var policy: ForwardingPolicy { forwarder.policy }
    private var context: ChannelHandlerContext?
    private var pool: UpstreamConnectionPool?
    private var clientKey = "local"

    /// The forwarded (or refused) request being answered.
    private var exchange: Exchange?
    private var exchangeCount: UInt64 = 0
    /// Requests handed to the router whose response has not ended yet.
    private var routerRequestsOutstanding = 0
    /// Whether the inbound parts now arriving belong to a request handed to the router.
    private var passingToRouter = false
    /// Parts of pipelined requests waiting for the current one's answer.
    private var queued = CircularBuffer<HTTPServerRequestPart>()
    private var readHeld = false
    private var quiesceHeld = false
    private var isDraining = false
    private var isClosed = false

    init(forwarder: GatewayForwarder) {
        self.forwarder = forwarder
    }

    /// A class, so that the handler's many reads and updates of it copy nothing.
    private final class Exchange {
        enum Phase {
            /// Reading the request body.
            case collecting
            /// Answered already (refused, or a preflight); discarding the rest of the request.
            case answered
            /// Sent upstream; waiting for the response head.
            case awaitingUpstream
            /// Relaying the upstream's response.
            case relaying
        }

        let id: UInt64
        let requestID: String
        let head: HTTPRequestHead
        let path: String
        let query: Substring?
        let route: String
        let origin: String?
        var closesConnection: Bool
        let start: ContinuousClock.Instant = .now
        var phase: Phase = .collecting
        var body: ByteBuffer?
        var status = 0
        var upstream: UpstreamConnection?
        var upstreamStart: ContinuousClock.Instant?
        var upstreamReusable = false
        var timeout: Scheduled<Void>?

        var isReceiving: Bool { phase == .collecting || phase == .answered }

        init(id: UInt64, requestID: String, head: HTTPRequestHead, path: String, query: Substring?, route: String, origin: String?, closesConnection: Bool) {
            self.id = id
            self.requestID = requestID
            self.head = head
            self.path = path
            self.query = query
            self.route = route
            self.origin = origin
            self.closesConnection = closesConnection
        }
    }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        pool = forwarder.pools.pool(for: context.eventLoop)
        clientKey = context.channel.remoteAddress?.ipAddress ?? "local"
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        abandonExchange()
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if isClosed { return }
        if queued.isEmpty && handle(part) { return }
        queued.append(part)
    }

    func read(context: ChannelHandlerContext) {
        if queued.isEmpty {
            context.read()
        } else {
            readHeld = true
        }
    }

    /// The router's response parts; counts the router's requests that are still being answered.
    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let isEnd: Bool
        if case .end = unwrapOutboundIn(data) { isEnd = true } else { isEnd = false }
        context.write(data, promise: promise)
        if isEnd {
            routerRequestsOutstanding -= 1
            if routerRequestsOutstanding == 0 && exchange == nil { drain() }
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent && exchange != nil {
            quiesceHeld = true
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        isClosed = true
        abandonExchange()
        queued.removeAll()
        context.fireChannelInactive()
    }

    // MARK: Requests

    /// Handles one inbound part now, or returns `false` when it must wait for the answer to an
    /// earlier request (nothing changed then).
    private func handle(_ part: HTTPServerRequestPart) -> Bool {
        if let exchange {
            guard exchange.isReceiving else { return false }
            receive(part)
            return true
        }
        switch part {
        case .head(let head):
            let route: ForwardingPolicy.Route
            do {
                route = try policy.route(target: head.uri)
            } catch {
                if routerRequestsOutstanding > 0 { return false }
                begin(head, path: "", query: nil, route: "unmatched")
                answer(refusal: error)
                return true
            }
            switch route {
            case .operations:
                routerRequestsOutstanding += 1
                passingToRouter = true
                context?.fireChannelRead(wrapInboundOut(part))
            case .forwarded(let path, let query, let entry):
                if routerRequestsOutstanding > 0 { return false }
                begin(head, path: path, query: query, route: entry?.label ?? "unmatched")
                admit(head, entry: entry)
            }
        case .body:
            if passingToRouter { context?.fireChannelRead(wrapInboundOut(part)) }
        case .end:
            if passingToRouter {
                passingToRouter = false
                context?.fireChannelRead(wrapInboundOut(part))
            }
        }
        return true
    }

    private func begin(_ head: HTTPRequestHead, path: String, query: Substring?, route: String) {
        exchangeCount &+= 1
        exchange = Exchange(
            id: exchangeCount,
            requestID: RequestID.resolve(ForwardingPolicy.single(head.headers, "x-request-id")),
            head: head,
            path: path,
            query: query,
            route: route,
            origin: ForwardingPolicy.single(head.headers, "origin"),
            closesConnection: !head.isKeepAlive
        )
    }

    private func admit(_ head: HTTPRequestHead, entry: PathAllowlist.Entry?) {
        do {
            switch try policy.admit(head, entry: entry, clientKey: clientKey) {
            case .preflight(var headers):
                if let requestID = exchange?.requestID { headers.add(name: "X-Request-Id", value: requestID) }
                answer(HTTPResponseHead(version: .http1_1, status: .noContent, headers: headers), body: nil)
            case .collectBody:
                if let expect = head.headers.first(name: "expect"), expect.lowercased() == "100-continue" {
                    context?.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .continue))), promise: nil)
                }
            }
        } catch {
            answer(refusal: error)
        }
    }

    private func receive(_ part: HTTPServerRequestPart) {
        guard let phase = exchange?.phase else { return }
        switch (phase, part) {
        case (.collecting, .body(let chunk)):
            let collected = exchange?.body?.readableBytes ?? 0
            if collected + chunk.readableBytes > policy.maximumBodySize {
                // The rest of an oversized body is not read: answer and close the connection.
                exchange?.closesConnection = true
                exchange?.body = nil
                answer(refusal: policy.tooLarge(), requestComplete: true)
            } else if exchange?.body == nil {
                exchange?.body = chunk
            } else {
                exchange?.body?.writeImmutableBuffer(chunk)
            }
        case (.collecting, .end):
            sendUpstream()
        case (.answered, .end):
            finish()
        case (.answered, .body), (_, .head), (.awaitingUpstream, _), (.relaying, _):
            break
        }
    }

    // MARK: Upstream

    private func sendUpstream() {
        guard let exchange, let context, let pool else { return }
        let prepared: (HTTPRequestHead, ByteBuffer?)
        do {
            prepared = try policy.prepare(exchange.head, path: exchange.path, query: exchange.query, body: exchange.body, requestID: exchange.requestID)
        } catch {
            answer(refusal: error, requestComplete: true)
            return
        }
        let id = exchange.id
        exchange.body = nil
        exchange.phase = .awaitingUpstream
        exchange.upstreamStart = .now
        exchange.timeout = context.eventLoop.assumeIsolated().scheduleTask(in: forwarder.upstreamTimeout) { [self] in
            upstreamTimedOut(exchangeID: id)
        }
        pool.acquire { [self] result in
            guard self.exchange?.id == id, self.exchange?.phase == .awaitingUpstream else {
                // The request ended (timed out, client gone) while connecting.
                if case .success(let connection) = result { pool.release(connection, reusable: true) }
                return
            }
            switch result {
            case .success(let connection):
                self.exchange?.upstream = connection
                connection.receiver = self
                connection.send(prepared.0, body: prepared.1)
            case .failure(.timeout):
                failUpstream(reason: "timeout")
            case .failure(.unavailable):
                failUpstream(reason: "unavailable")
            }
        }
    }

    func upstreamReceived(_ part: HTTPClientResponsePart) {
        guard let exchange, let context else { return }
        switch part {
        case .head(let upstreamHead):
            // Interim responses (100 Continue) are the upstream's business with the gateway.
            if upstreamHead.status.code < 200 && upstreamHead.status.code != 101 { return }
            var head = policy.clientHead(from: upstreamHead, requestID: exchange.requestID, origin: exchange.origin)
            if exchange.closesConnection { head.headers.replaceOrAdd(name: "Connection", value: "close") }
            exchange.upstreamReusable = upstreamHead.isKeepAlive
            exchange.status = Int(head.status.code)
            exchange.phase = .relaying
            context.write(wrapOutboundOut(.head(head)), promise: nil)
        case .body(let chunk):
            guard exchange.phase == .relaying else { return }
            context.write(wrapOutboundOut(.body(.byteBuffer(chunk))), promise: nil)
        case .end:
            guard exchange.phase == .relaying else { return }
            exchange.timeout?.cancel()
            if let upstream = exchange.upstream { pool?.release(upstream, reusable: exchange.upstreamReusable) }
            exchange.upstream = nil
            if let upstreamStart = exchange.upstreamStart {
                forwarder.metrics.recordUpstreamLatency(route: exchange.route, duration: .now - upstreamStart)
            }
            writeEnd()
            finish()
        }
    }

    func upstreamReadComplete() {
        if exchange?.phase == .relaying { context?.flush() }
    }

    func upstreamFailed() {
        failUpstream(reason: "unavailable")
    }

    private func upstreamTimedOut(exchangeID: UInt64) {
        guard exchange?.id == exchangeID else { return }
        failUpstream(reason: "timeout")
    }

    /// Before the response head: answered 502 or 504. After it: the response cannot be
    /// completed, so the connection is closed.
    private func failUpstream(reason: String) {
        guard let exchange, exchange.phase == .awaitingUpstream || exchange.phase == .relaying else { return }
        stopUpstream(of: exchange)
        forwarder.metrics.recordUpstreamFailure(reason: reason)
        if exchange.phase == .relaying {
            exchange.closesConnection = true
            context?.close(promise: nil)
            finish()
            return
        }
        let refusal =
            reason == "timeout"
            ? GatewayRefusal(status: .gatewayTimeout, code: .upstreamTimeout, description: "the upstream did not answer in time")
            : GatewayRefusal(status: .badGateway, code: .upstreamUnavailable, description: "the upstream could not be reached")
        answer(refusal: refusal, requestComplete: true)
    }

    // MARK: Answers

    private func answer(refusal error: GatewayRefusal, requestComplete: Bool = false) {
        guard let exchange else { return }
        let (head, body) = policy.refusalResponse(error, requestID: exchange.requestID, origin: exchange.origin)
        answer(head, body: body, requestComplete: requestComplete)
    }

    /// Writes a whole response the gateway made itself; the exchange ends now when the request has
    /// been read completely, else when its end arrives.
    private func answer(_ response: HTTPResponseHead, body: ByteBuffer?, requestComplete: Bool = false) {
        guard let context, let exchange else { return }
        var response = response
        if exchange.closesConnection { response.headers.replaceOrAdd(name: "Connection", value: "close") }
        exchange.status = Int(response.status.code)
        exchange.phase = .answered
        context.write(wrapOutboundOut(.head(response)), promise: nil)
        if let body { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        writeEnd()
        if requestComplete { finish() }
    }

    /// Ends the response; closes the connection once it is written when the exchange asks for it.
    private func writeEnd() {
        guard let context else { return }
        guard exchange?.closesConnection == true else {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            return
        }
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: written)
        written.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }

    /// Counts and logs the exchange, then goes on with whatever was pipelined behind it.
    private func finish() {
        guard let exchange else { return }
        self.exchange = nil
        forwarder.metrics.recordRequest(route: exchange.route, status: exchange.status)
        if let accessLogger = forwarder.accessLogger {
            AccessLog.record(
                to: accessLogger, requestID: exchange.requestID, method: exchange.head.method.rawValue, route: exchange.route,
                status: exchange.status, duration: .now - exchange.start, client: clientKey)
        }
        if exchange.closesConnection || isClosed {
            queued.removeAll()
            return
        }
        if quiesceHeld {
            quiesceHeld = false
            queued.removeAll()
            context?.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
            return
        }
        drain()
    }

    /// Handles queued parts until one has to wait again; then reads on.
    private func drain() {
        guard !isDraining, !queued.isEmpty || readHeld else { return }
        isDraining = true
        let routerRequestsBefore = routerRequestsOutstanding
        defer {
            isDraining = false
            // The router's inbound stream delivers what it was given at the end of a read burst;
            // parts handed over from the queue happen outside one, so end one for it.
            if routerRequestsOutstanding != routerRequestsBefore || passingToRouter { context?.fireChannelReadComplete() }
        }
        while let part = queued.popFirst() {
            if !handle(part) {
                queued.prepend(part)
                return
            }
            if isClosed { return }
        }
        if readHeld {
            readHeld = false
            context?.read()
        }
    }

    /// The client went away: the upstream connection is dropped mid-request.
    private func abandonExchange() {
        guard let exchange else { return }
        stopUpstream(of: exchange)
        self.exchange = nil
    }

    /// Cancels the exchange's timeout and closes its upstream connection, if any: a connection
    /// left mid-response is never reused.
    private func stopUpstream(of exchange: Exchange) {
        exchange.timeout?.cancel()
        if let upstream = exchange.upstream {
            upstream.receiver = nil
            upstream.close()
            exchange.upstream = nil
        }
    }

}
