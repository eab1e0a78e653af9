import CoreMetrics
import NIOCore
import ShareCore

/// The first handler of every client connection (``GatewayHTTPChannel``): feeds what happens on
/// the connection to its ``ForwardingStateMachine`` and carries out the actions it returns —
/// writes, reads, requests to the router behind this handler, upstream requests on a connection
/// borrowed from this loop's ``UpstreamConnectionPool``, timers, metrics and the access log.
///
/// A forwarded request creates no task, continuation, header dictionary or message object, and
/// schedules no task of its own. Automatic reads are off: this handler asks for every read, so
/// that bytes of requests pipelined behind an unanswered one wait unread. A connection over its
/// client's share (``ClientConnectionCounter``) is closed as soon as it opens.
///
/// A lingering connection (``ForwardingStateMachine/Action/closeOutputAndLinger(until:)``) closes
/// its output once the answer is written (NIO's socket channel shuts its write side; over TLS,
/// `NIOSSLHandler` sends `close_notify` first) and reads on, until its linger ends or its client
/// closes its side. Hummingbird's server channel allows remote half-closure, so the client's end
/// arrives as `ChannelEvent.inputClosed`: taken here (a linger ends; what was read is still
/// answered, then the connection closes), and passed on only while the router has the request. A
/// lingering connection stays counted, for the client's share and the total cap, until it closes.
final class ForwardingHandler: ChannelDuplexHandler, RemovableChannelHandler, UpstreamResponseReceiver {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData
    typealias Action = ForwardingStateMachine.Action

    private let forwarder: GatewayForwarder
    private var machine: ForwardingStateMachine?
    private var context: ChannelHandlerContext?
    private var pool: UpstreamConnectionPool?
    private var clientKey = "local"
    /// The upstream connection of the exchange in flight, and that exchange's number.
    private var upstream: UpstreamConnection?
    private var upstreamExchange = 0
    private var upstreamTimer: Scheduled<Void>?
    private var clientTimer: Scheduled<Void>?
    /// The array actions are collected in, reused from event to event.
    private var spareActions: [Action] = []
    /// Whether this connection is counted in ``ClientConnectionCounter``.
    private var counted = false
    /// Whether this connection is one more than its client may hold (closed at once).
    private var overClientShare = false
    /// The metrics this connection recorded last, kept to skip the registry's lookup next time.
    private var requestCounter: (route: String, status: Int, counter: CoreMetrics.Counter)?
    private var latencyTimer: (route: String, timer: CoreMetrics.Timer)?

    init(forwarder: GatewayForwarder) {
        self.forwarder = forwarder
    }

    /// The time by the connection's event loop (an embedded loop's own clock in tests).
    private var now: NIODeadline {
        context?.eventLoop.now ?? .now()
    }

    /// Runs one event through the state machine and carries out its actions. Reentrant: an
    /// action that causes another event (a close, a synchronous upstream failure) handles that
    /// event with an array of its own.
    private func handle(_ event: (inout ForwardingStateMachine, inout [Action]) -> Void) {
        guard machine != nil else { return }
        var actions = spareActions
        spareActions = []
        event(&machine!, &actions)
        for action in actions { perform(action) }
        actions.removeAll(keepingCapacity: true)
        spareActions = actions
    }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        pool = forwarder.pools.pool(for: context.eventLoop)
        clientKey = context.channel.remoteAddress?.ipAddress ?? "local"
        machine = ForwardingStateMachine(
            configuration: .init(
                policy: forwarder.policy, clientKey: clientKey, upstreamTimeout: forwarder.upstreamTimeout, headTimeout: forwarder.headTimeout,
                bodyTimeout: forwarder.bodyTimeout, idleTimeout: forwarder.idleTimeout, logsAccess: forwarder.accessLogger != nil))
        guard forwarder.clientConnections.open(client: clientKey) else {
            // Over this client's share of connections: closed before anything is read, once the
            // pipeline is set up and the channel active (closing it during setup would fail the
            // rest of the setup).
            overClientShare = true
            machine!.refuse()
            if context.channel.isActive { context.eventLoop.assumeIsolated().execute { context.close(promise: nil) } }
            return
        }
        counted = true
        // This handler asks for every read itself (channelActive, channelReadComplete): with
        // automatic reads, each read burst's request for the next one would travel through every
        // handler of the router's pipeline behind this one.
        try? context.channel.syncOptions?.setOption(.autoRead, value: false)
        if context.channel.isActive { context.read() }
        let now = self.now
        handle { $0.start(now: now, into: &$1) }
    }

    func channelActive(context: ChannelHandlerContext) {
        if overClientShare {
            context.fireChannelActive()
            context.close(promise: nil)
            return
        }
        context.read()
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        handle { $0.channelInactive(into: &$1) }
        uncount()
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        handle { $0.channelInactive(into: &$1) }
        uncount()
        context.fireChannelInactive()
    }

    /// Gives this connection's place in ``ClientConnectionCounter`` back, once.
    private func uncount() {
        guard counted else { return }
        counted = false
        forwarder.clientConnections.close(client: clientKey)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        let now = self.now
        handle { $0.bytesRead(buffer, now: now, into: &$1) }
    }

    /// Not passed on: the machine ends a read burst for the router whenever it handed the router
    /// bytes, and forwarded requests need nothing from the handlers behind.
    func channelReadComplete(context: ChannelHandlerContext) {
        handle { $0.readComplete(into: &$1) }
    }

    func read(context: ChannelHandlerContext) {
        if machine?.readRequested() ?? true { context.read() }
    }

    /// The router's responses, encoded by NIO's HTTP/1.1 codec: passed on as they are.
    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        context.write(data, promise: promise)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent, machine?.quiesceRequested() == true { return }
        if case ChannelEvent.inputClosed? = event as? ChannelEvent {
            var taken = false
            let now = self.now
            handle { taken = $0.inputClosed(now: now, into: &$1) }
            if taken { return }
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// Called by ``RouterResponseObserver`` once the router's response has been written.
    func routerResponseEnded() {
        let now = self.now
        handle { $0.routerResponseEnded(now: now, into: &$1) }
    }

    // MARK: Upstream events

    func upstreamResponseHead(_ head: ParsedResponseHead, framing: BodyFraming, body: ByteBuffer?) {
        // The frontend's credentials were stripped: a 401 refuses the gateway's own, which the
        // frontend cannot fix. Answered as a gateway error naming the gateway's configuration.
        if head.status == 401 { return upstreamFailed(.credentialsRejected) }
        handle { $0.upstreamResponseHead(head, framing: framing, body: body, into: &$1) }
    }

    func upstreamResponseBody(_ bytes: ByteBuffer) {
        handle { $0.upstreamResponseBody(bytes, into: &$1) }
    }

    func upstreamResponseEnd(reusable: Bool) {
        let now = self.now
        handle { $0.upstreamResponseEnd(reusable: reusable, now: now, into: &$1) }
    }

    func upstreamReadComplete() {
        handle { $0.upstreamReadComplete(into: &$1) }
    }

    func upstreamFailed(_ failure: UpstreamFailure) {
        let now = self.now
        let exchange = upstreamExchange
        handle { $0.upstreamFailed(failure, exchange: exchange, now: now, into: &$1) }
    }

    // MARK: Actions

    private func perform(_ action: Action) {
        guard let context else { return }
        switch action {
        case .write(let bytes):
            context.write(wrapOutboundOut(.byteBuffer(bytes)), promise: nil)
        case .flush:
            context.flush()
        case .flushAndClose:
            flush(context: context) { _ in context.close(promise: nil) }
        case .closeOutputAndLinger(let deadline):
            flush(context: context) { result in
                guard case .success = result else { return context.close(promise: nil) }
                // Once the answer is written; a channel that cannot close only its output closes.
                let outputClosed = context.eventLoop.makePromise(of: Void.self)
                context.close(mode: .output, promise: outputClosed)
                outputClosed.futureResult.assumeIsolated().whenFailure { _ in context.close(promise: nil) }
            }
            scheduleClientTimer(at: deadline, context: context)
        case .close:
            context.close(promise: nil)
        case .read:
            context.read()
        case .readFromTail:
            // The read starts at the tail of the pipeline, so that the router's inbound stream
            // can hold it back when its buffer is full.
            context.channel.read()
        case .passToRouter(let bytes):
            context.fireChannelRead(wrapInboundOut(bytes))
        case .endRouterReadBurst:
            context.fireChannelReadComplete()
        case .sendUpstream(let request, let method, let decodesChunks, let exchange):
            sendUpstream(request, method: method, decodesChunks: decodesChunks, exchange: exchange)
        case .releaseUpstream(let reusable):
            if let upstream { pool?.release(upstream, reusable: reusable) }
            upstream = nil
        case .closeUpstream:
            if let upstream {
                upstream.receiver = nil
                upstream.close()
            }
            upstream = nil
        case .scheduleUpstreamTimer(let deadline):
            upstreamTimer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
                upstreamTimer = nil
                let now = self.now
                handle { $0.upstreamTimerFired(now: now, into: &$1) }
            }
        case .scheduleClientTimer(let deadline):
            scheduleClientTimer(at: deadline, context: context)
        case .cancelTimers:
            upstreamTimer?.cancel()
            upstreamTimer = nil
            clientTimer?.cancel()
            clientTimer = nil
        case .forwardQuiesce:
            context.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        case .recordRequest(let route, let status):
            recordRequest(route: route, status: status)
        case .recordUpstreamLatency(let route, let nanoseconds):
            if latencyTimer?.route != route {
                latencyTimer = (route, forwarder.metrics.upstreamLatencyTimer(route: route))
            }
            latencyTimer!.timer.recordNanoseconds(nanoseconds)
        case .recordUpstreamFailure(let failure):
            forwarder.metrics.recordUpstreamFailure(reason: failure.metricsReason)
        case .recordClientTimeout(let phase):
            forwarder.metrics.recordClientTimeout(phase: phase.rawValue)
        case .logAccess(let record):
            if let accessLogger = forwarder.accessLogger {
                AccessLog.record(
                    to: accessLogger, requestID: record.requestID, method: record.method, route: record.route, status: record.status,
                    duration: record.duration, client: clientKey)
            }
        }
    }

    /// Flushes, and calls `written` once everything written so far is out (or failed to go out).
    private func flush(context: ChannelHandlerContext, then written: @escaping (Result<Void, any Error>) -> Void) {
        let promise = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.byteBuffer(ByteBuffer())), promise: promise)
        promise.futureResult.assumeIsolated().whenComplete(written)
    }

    /// Sets the client timer for `deadline`, in place of the one armed.
    private func scheduleClientTimer(at deadline: NIODeadline, context: ChannelHandlerContext) {
        clientTimer?.cancel()
        clientTimer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            clientTimer = nil
            let now = self.now
            handle { $0.clientTimerFired(now: now, into: &$1) }
        }
    }

    /// Sends a request on an idle pooled connection when there is one, else on one the pool
    /// opens; a connection that comes after its exchange ended goes back to the pool.
    private func sendUpstream(_ request: ByteBuffer, method: String, decodesChunks: Bool, exchange: Int) {
        guard let pool else { return }
        if let connection = pool.takeIdle() {
            send(request, method: method, decodesChunks: decodesChunks, over: connection, exchange: exchange)
            return
        }
        pool.acquire { [self] result in
            switch result {
            case .success(let connection):
                send(request, method: method, decodesChunks: decodesChunks, over: connection, exchange: exchange)
            case .failure(let failure):
                let now = self.now
                let reason: UpstreamFailure = failure == .timeout ? .connectTimeout : .unreachable
                handle { $0.upstreamFailed(reason, exchange: exchange, now: now, into: &$1) }
            }
        }
    }

    private func send(_ request: ByteBuffer, method: String, decodesChunks: Bool, over connection: UpstreamConnection, exchange: Int) {
        guard machine?.upstreamConnected(exchange: exchange) == true else {
            // The request ended (timed out, client gone) while connecting.
            pool?.release(connection, reusable: true)
            return
        }
        upstream = connection
        upstreamExchange = exchange
        connection.receiver = self
        connection.send(request, method: method, decodingChunks: decodesChunks)
    }

    /// Counts an answered request, through the counter this connection used last when it is the
    /// same one (a connection's requests mostly are), without the shared registry's lock.
    private func recordRequest(route: String, status: Int) {
        if let requestCounter, requestCounter.route == route, requestCounter.status == status {
            requestCounter.counter.increment()
            return
        }
        let counter = forwarder.metrics.requestCounter(route: route, status: status)
        requestCounter = (route, status, counter)
        counter.increment()
    }
}
