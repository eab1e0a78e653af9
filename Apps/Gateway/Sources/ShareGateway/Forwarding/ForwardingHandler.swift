import CoreMetrics
import Foundation
import NIOCore
import ShareCore

/// Forwards a client connection's API requests on the connection's own event loop, reading and
/// writing HTTP/1.1 as bytes.
///
/// The first handler of every client connection (``GatewayHTTPChannel``): it reads each request's
/// head with ``HTTPHeadParser`` and its body with ``BodyFraming``. Requests for the operations
/// endpoints (`/healthz`, `/readyz`, `/metrics`, the console) are passed on, as the bytes that
/// came, to NIO's HTTP/1.1 codec and Hummingbird's router behind this handler; every other
/// request is checked by ``ForwardingPolicy``, answered here when refused, and otherwise written
/// upstream — head and body in one buffer — on a connection borrowed from this loop's
/// ``UpstreamConnectionPool``. The upstream's response head is rewritten (``HeaderPolicy``) and
/// its body relayed as it arrives, chunks and all. A forwarded request creates no task,
/// continuation, header dictionary or message object, and schedules no task of its own: the
/// connection's one timer enforces the upstream timeout.
///
/// HTTP/1.1 answers in order: while one request is answered (here or by the router), bytes of
/// requests pipelined behind it wait and the connection stops reading.
///
/// Graceful shutdown: the server's quiesce event is held back while a forwarded request is in
/// flight and passed on to Hummingbird's connection handler when it completes, so in-flight
/// requests finish before the connection closes.
///
/// Slow clients: a second timer enforces the client's deadlines (``ClientConnectionLimits``) —
/// the head must arrive within the head timeout of the connection's start or of the next
/// request's first byte (else 408 and close), the body within the body timeout of the head (else
/// 408, or just close once answered), and a keep-alive connection is closed after the idle timeout
/// without a next request. Like the upstream timer it is one scheduled task per connection, moved
/// on only when it fires early. A connection over its client's share
/// (``ClientConnectionCounter``) is closed as soon as it opens.
final class ForwardingHandler: ChannelDuplexHandler, RemovableChannelHandler, UpstreamResponseReceiver {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    /// The longest request head accepted (431 beyond).
    static let maximumHeadSize = 32 * 1024

    private let forwarder: GatewayForwarder
    private let policy: ForwardingPolicy
    private var context: ChannelHandlerContext?
    private var pool: UpstreamConnectionPool?
    private var clientKey = "local"

    private enum State {
        /// Waiting for (the rest of) a request head.
        case awaitingHead
        /// Reading the body of a request to forward.
        case collecting(Exchange)
        /// Answered already (refused, or a preflight); reading the rest of the request's body.
        case discarding(Exchange)
        /// Sent upstream; waiting for, then relaying, the response.
        case forwarding(Exchange)
        /// Passing the body of a request for the router on to it.
        case toRouter
        /// The router is answering.
        case awaitingRouter
        /// The connection is closing; nothing more is read.
        case closed
    }

    private var state = State.awaitingHead
    /// Bytes read and not handled yet: the rest of the current request, or pipelined ones.
    private var inbound = ByteBuffer.drained
    /// The buffers the next upstream request and response head are built in, reused: by the time
    /// the next request is built, NIO has written and let go of the previous one.
    private var upstreamRequestBuffer = ByteBuffer()
    private var responseHeadBuffer = ByteBuffer()
    /// The array request heads' field lists are built in, reused once the last request is done.
    private var fieldStorage: [HTTPMessageHead.Field] = []
    private var headScanned = 0
    /// How the body of the request being read is delimited.
    private var framing = BodyFraming.none
    /// The router finished its response before its request's body was all passed on.
    private var routerAnswered = false
    /// Bytes went to the router during this pass of ``process()``.
    private var passedToRouter = false
    private var readHeld = false
    private var quiesceHeld = false
    private var isProcessing = false
    /// The connection's one timer for upstream timeouts: set for the first forwarded request's
    /// deadline and, when it fires early, set again for the current one's, so that a keep-alive
    /// connection's requests do not each schedule and cancel a task.
    private var timer: Scheduled<Void>?
    /// The metrics this connection recorded last, kept to skip the registry's lookup next time.
    private var requestCounter: (route: String, status: Int, counter: CoreMetrics.Counter)?
    /// What the client is expected to send next, which sets its deadline.
    private enum ClientPhase {
        /// A request head (on a new connection, or once a keep-alive one's next request began).
        case head
        /// The next request on a keep-alive connection.
        case idle
        /// The body of the current request.
        case body
        /// Nothing: the gateway or the upstream is answering.
        case answering
    }
    private var clientPhase = ClientPhase.answering
    /// Request heads read so far: a new head starts a new deadline even in the same phase.
    private var headsRead = 0
    private var clientPhaseHeads = -1
    private var clientDeadline = NIODeadline.distantFuture
    private var clientTimer: Scheduled<Void>?
    /// Whether a request has been answered on this connection (its next wait is `idle`).
    private var answeredOne = false
    /// Body bytes read and dropped for a refused request.
    private var discardedBytes = 0
    /// Whether this connection is counted in ``ClientConnectionCounter``.
    private var counted = false
    /// Whether this connection is one more than its client may hold (closed at once).
    private var overClientShare = false
    private var latencyTimer: (route: String, timer: CoreMetrics.Timer)?

    init(forwarder: GatewayForwarder) {
        self.forwarder = forwarder
        self.policy = forwarder.policy
    }

    /// One request being forwarded or answered by the gateway. A class, so that the handler's
    /// many reads and updates of it copy nothing.
    private final class Exchange {
        let requestID: String
        let request: ParsedRequestHead
        let path: String
        let query: Substring?
        let route: String
        let origin: String?
        var closesConnection: Bool
        let start = NIODeadline.now()
        var body: ByteBuffer?
        var status = 0
        var upstream: UpstreamConnection?
        var upstreamStart: NIODeadline?
        /// When the upstream must have answered completely.
        var deadline = NIODeadline.distantFuture
        var responseStarted = false

        init(requestID: String, request: ParsedRequestHead, path: String, query: Substring?, route: String, origin: String?, closesConnection: Bool) {
            self.requestID = requestID
            self.request = request
            self.path = path
            self.query = query
            self.route = route
            self.origin = origin
            self.closesConnection = closesConnection
        }

        /// The `Connection` header of the answer.
        var connectionField: HTTPResponseWriter.ConnectionField {
            closesConnection ? .close : (request.minorVersion == 0 ? .keepAlive : .none)
        }
    }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        pool = forwarder.pools.pool(for: context.eventLoop)
        clientKey = context.channel.remoteAddress?.ipAddress ?? "local"
        guard forwarder.clientConnections.open(client: clientKey) else {
            // Over this client's share of connections: closed before anything is read, once the
            // pipeline is set up and the channel active (closing it during setup would fail the
            // rest of the setup).
            overClientShare = true
            state = .closed
            if context.channel.isActive { context.eventLoop.assumeIsolated().execute { context.close(promise: nil) } }
            return
        }
        counted = true
        // This handler asks for every read itself (channelActive, channelReadComplete): with
        // automatic reads, each read burst's request for the next one would travel through every
        // handler of the router's pipeline behind this one.
        try? context.channel.syncOptions?.setOption(.autoRead, value: false)
        if context.channel.isActive { context.read() }
        refreshClientDeadline()
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
        timer?.cancel()
        timer = nil
        stopClientTimer()
        abandonExchange()
        uncount()
        self.context = nil
    }

    /// Gives this connection's place in ``ClientConnectionCounter`` back, once.
    private func uncount() {
        guard counted else { return }
        counted = false
        forwarder.clientConnections.close(client: clientKey)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        if case .closed = state { return }
        if inbound.readableBytes == 0 {
            inbound = buffer
        } else {
            inbound.writeBuffer(&buffer)
        }
        process()
    }

    /// Not passed on: ``process()`` ends a read burst for the router whenever it handed the router
    /// bytes, and forwarded requests need nothing from the handlers behind. Asks for the next
    /// read — reads are this handler's to ask for (automatic reads are off) — except while a body
    /// streams to the router.
    func channelReadComplete(context: ChannelHandlerContext) {
        switch state {
        case .closed:
            return
        case .toRouter:
            // The read starts at the tail of the pipeline, so that the router's inbound stream
            // can hold it back when its buffer is full.
            context.channel.read()
        default:
            readUnlessHeld(context)
        }
    }

    func read(context: ChannelHandlerContext) {
        readUnlessHeld(context)
    }

    /// Reads on, unless the bytes of a pipelined request already wait for the current answer.
    private func readUnlessHeld(_ context: ChannelHandlerContext) {
        if isWaiting && inbound.readableBytes > 0 {
            readHeld = true
        } else {
            context.read()
        }
    }

    /// The router's responses, encoded by NIO's HTTP/1.1 codec: passed on as they are.
    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        context.write(data, promise: promise)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent && exchange != nil {
            quiesceHeld = true
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        stopClientTimer()
        abandonExchange()
        uncount()
        state = .closed
        inbound = .drained
        context.fireChannelInactive()
    }

    /// Called by ``RouterResponseObserver`` once the router's response has been written.
    func routerResponseEnded() {
        switch state {
        case .awaitingRouter:
            state = .awaitingHead
            answeredOne = true
            process()
        case .toRouter:
            routerAnswered = true
        default:
            break
        }
    }

    // MARK: Requests

    /// Whether the current request's answer is awaited before reading on.
    private var isWaiting: Bool {
        switch state {
        case .forwarding, .awaitingRouter: true
        default: false
        }
    }

    private var exchange: Exchange? {
        switch state {
        case .collecting(let exchange), .discarding(let exchange), .forwarding(let exchange): exchange
        default: nil
        }
    }

    /// Handles what has been read, as far as the state allows.
    private func process() {
        guard !isProcessing, let context else { return }
        isProcessing = true
        defer { isProcessing = false }
        loop: while true {
            switch state {
            case .awaitingHead:
                guard readRequestHead() else { break loop }
            case .collecting(let exchange):
                guard readBody(of: exchange) else { break loop }
            case .discarding(let exchange):
                var complete = false
                var broken = false
                do {
                    complete = try framing.read(&inbound) { discardedBytes += $0.readableBytes }
                } catch {
                    broken = true
                }
                if !complete && !broken && discardedBytes <= policy.maximumBodySize { break loop }
                if !complete || broken {
                    // A broken or oversized body of a request answered already: not read further.
                    exchange.closesConnection = true
                    flush(closing: true)
                }
                finish(exchange)
            case .toRouter:
                guard passBodyToRouter() else { break loop }
            case .forwarding, .awaitingRouter, .closed:
                break loop
            }
        }
        if passedToRouter {
            passedToRouter = false
            // The router's inbound stream delivers what it was given at the end of a read burst:
            // each pass that handed it bytes ends one, inside NIO's read burst or not.
            context.fireChannelReadComplete()
        }
        if inbound.readableBytes == 0 { inbound = .drained }
        refreshClientDeadline()
        if readHeld && !(isWaiting && inbound.readableBytes > 0) {
            readHeld = false
            context.read()
        }
    }

    /// Reads one request head and decides what happens to the request. `false` when more bytes
    /// are needed or the connection is closing.
    private func readRequestHead() -> Bool {
        HTTPHeadParser.skipLeadingEmptyLines(&inbound)
        guard inbound.readableBytes > 0 else { return false }
        let request: ParsedRequestHead
        let headBytes: ByteBuffer
        do {
            guard let length = try HTTPHeadParser.headLength(of: inbound, scanned: &headScanned, limit: Self.maximumHeadSize) else { return false }
            headScanned = 0
            headsRead += 1
            headBytes = inbound.readSlice(length: length)!
            request = try HTTPHeadParser.parseRequest(headBytes, fieldStorage: &fieldStorage)
            framing = try BodyFraming.request(request)
        } catch {
            refuseMalformed(error)
            return false
        }
        let route: ForwardingPolicy.Route
        do {
            route = try policy.route(target: request.target)
        } catch {
            let exchange = begin(request, path: "", query: nil, route: "unmatched")
            answer(exchange, refusal: error)
            return true
        }
        switch route {
        case .operations(let label):
            do {
                try policy.admitOperations(request, framing: framing, clientKey: clientKey)
            } catch {
                answer(begin(request, path: "", query: nil, route: label), refusal: error)
                return true
            }
            routerAnswered = false
            passToRouter(headBytes)
            if case .none = framing {
                state = .awaitingRouter
            } else {
                state = .toRouter
            }
        case .forwarded(let path, let query, let entry):
            let exchange = begin(request, path: path, query: query, route: entry?.label ?? "unmatched")
            admit(exchange, entry: entry)
        }
        return true
    }

    private func begin(_ request: ParsedRequestHead, path: String, query: Substring?, route: String) -> Exchange {
        Exchange(
            requestID: RequestID.resolve(request.head.value("x-request-id")), request: request, path: path, query: query,
            route: route, origin: request.head.value("origin"), closesConnection: !request.isKeepAlive)
    }

    private func admit(_ exchange: Exchange, entry: PathAllowlist.Entry?) {
        let declaredLength: Int?
        if case .length(let remaining) = framing { declaredLength = remaining } else { declaredLength = nil }
        do {
            switch try policy.admit(exchange.request, entry: entry, declaredLength: declaredLength, clientKey: clientKey) {
            case .preflight(var fields):
                fields[.xRequestID] = exchange.requestID
                exchange.status = 204
                write(HTTPResponseWriter.response(status: .noContent, fields: fields, body: nil, connection: exchange.connectionField), closing: exchange.closesConnection)
                discardedBytes = 0
                state = .discarding(exchange)
            case .collectBody:
                if exchange.request.head.value("expect")?.lowercased() == "100-continue" {
                    context?.writeAndFlush(wrapOutboundOut(.byteBuffer(HTTPResponseWriter.continueResponse)), promise: nil)
                }
                state = .collecting(exchange)
            }
        } catch {
            answer(exchange, refusal: error)
        }
    }

    /// Collects the body of a request to forward; sends it once complete. `false` when more
    /// bytes are needed or the request has been answered and the connection is closing.
    private func readBody(of exchange: Exchange) -> Bool {
        var tooLarge = false
        let complete: Bool
        do {
            complete = try framing.read(&inbound) { chunk in
                let collected = exchange.body?.readableBytes ?? 0
                if tooLarge || collected + chunk.readableBytes > policy.maximumBodySize {
                    tooLarge = true
                } else if exchange.body == nil {
                    exchange.body = chunk
                } else {
                    exchange.body!.writeImmutableBuffer(chunk)
                }
            }
        } catch {
            exchange.closesConnection = true
            answer(exchange, refusal: GatewayRefusal(status: .badRequest, code: .invalidRequest, description: "the chunked request body is malformed"), requestComplete: true)
            return false
        }
        if tooLarge {
            // The rest of an oversized body is not read: answer and close the connection.
            exchange.closesConnection = true
            exchange.body = nil
            answer(exchange, refusal: policy.tooLarge(), requestComplete: true)
            return false
        }
        guard complete else { return false }
        sendUpstream(exchange)
        return true
    }

    // MARK: Router

    private func passToRouter(_ bytes: ByteBuffer) {
        context?.fireChannelRead(wrapInboundOut(bytes))
        passedToRouter = true
    }

    /// Passes the body of the router's request on, framing included. `false` when more bytes
    /// are needed.
    private func passBodyToRouter() -> Bool {
        let raw: (bytes: ByteBuffer?, complete: Bool)
        do {
            raw = try framing.readRaw(&inbound)
        } catch {
            // The router has the head already; a broken body ends the connection.
            state = .closed
            context?.close(promise: nil)
            return false
        }
        if let bytes = raw.bytes { passToRouter(bytes) }
        guard raw.complete else { return false }
        if routerAnswered { answeredOne = true }
        state = routerAnswered ? .awaitingHead : .awaitingRouter
        routerAnswered = false
        return true
    }

    // MARK: Upstream

    private func sendUpstream(_ exchange: Exchange) {
        guard let context, let pool else { return }
        upstreamRequestBuffer.clear()
        do {
            try policy.writeUpstreamRequest(
                exchange.request, path: exchange.path, query: exchange.query, body: exchange.body, requestID: exchange.requestID, into: &upstreamRequestBuffer)
        } catch {
            answer(exchange, refusal: error, requestComplete: true)
            return
        }
        exchange.body = nil
        let now = NIODeadline.now()
        exchange.upstreamStart = now
        exchange.deadline = now + forwarder.upstreamTimeout
        state = .forwarding(exchange)
        if timer == nil { armTimer(at: exchange.deadline) }
        if let connection = pool.takeIdle(now: now) {
            send(upstreamRequestBuffer, over: connection, for: exchange)
            return
        }
        let request = upstreamRequestBuffer
        pool.acquire { [self] result in
            guard case .forwarding(let current) = state, current === exchange, current.upstream == nil else {
                // The request ended (timed out, client gone) while connecting.
                if case .success(let connection) = result { pool.release(connection, reusable: true) }
                return
            }
            switch result {
            case .success(let connection):
                send(request, over: connection, for: exchange)
            case .failure(.timeout):
                failUpstream(reason: "timeout")
            case .failure(.unavailable):
                failUpstream(reason: "unavailable")
            }
        }
    }

    private func send(_ request: ByteBuffer, over connection: UpstreamConnection, for exchange: Exchange) {
        exchange.upstream = connection
        connection.receiver = self
        connection.send(request, method: exchange.request.method, decodingChunks: exchange.request.minorVersion == 0)
    }

    func upstreamResponseHead(_ head: ParsedResponseHead, framing: BodyFraming, body: ByteBuffer?) {
        guard case .forwarding(let exchange) = state, let context else { return }
        let relaysChunks: Bool
        switch framing {
        case .chunked:
            // An HTTP/1.0 client gets the data without chunk framing, up to the connection's end.
            relaysChunks = exchange.request.minorVersion >= 1
            if !relaysChunks { exchange.closesConnection = true }
        case .untilClose:
            exchange.closesConnection = true
            relaysChunks = false
        case .none, .length:
            relaysChunks = false
        }
        exchange.status = head.status
        exchange.responseStarted = true
        responseHeadBuffer.clear()
        policy.writeClientHead(
            from: head, requestID: exchange.requestID, origin: exchange.origin, relaysChunks: relaysChunks, connection: exchange.connectionField,
            into: &responseHeadBuffer)
        // A small body that came with the head goes out with it: one buffer, one write.
        if let body { responseHeadBuffer.writeImmutableBuffer(body) }
        context.write(wrapOutboundOut(.byteBuffer(responseHeadBuffer)), promise: nil)
    }

    func upstreamResponseBody(_ bytes: ByteBuffer) {
        guard case .forwarding(let exchange) = state, exchange.responseStarted else { return }
        context?.write(wrapOutboundOut(.byteBuffer(bytes)), promise: nil)
    }

    func upstreamResponseEnd(reusable: Bool) {
        guard case .forwarding(let exchange) = state, exchange.responseStarted else { return }
        let now = NIODeadline.now()
        if let upstream = exchange.upstream { pool?.release(upstream, reusable: reusable, now: now) }
        exchange.upstream = nil
        if let upstreamStart = exchange.upstreamStart {
            if latencyTimer?.route != exchange.route {
                latencyTimer = (exchange.route, forwarder.metrics.upstreamLatencyTimer(route: exchange.route))
            }
            latencyTimer!.timer.recordNanoseconds((now - upstreamStart).nanoseconds)
        }
        flush(closing: exchange.closesConnection)
        finish(exchange)
    }

    func upstreamReadComplete() {
        if case .forwarding(let exchange) = state, exchange.responseStarted { context?.flush() }
    }

    func upstreamFailed() {
        failUpstream(reason: "unavailable")
    }

    private func armTimer(at deadline: NIODeadline) {
        guard let context else { return }
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            timer = nil
            guard case .forwarding(let exchange) = state else { return }
            if exchange.deadline <= .now() {
                failUpstream(reason: "timeout")
            } else {
                armTimer(at: exchange.deadline)
            }
        }
    }

    /// Before the response head: answered 502 or 504. After it: the response cannot be
    /// completed, so the connection is closed.
    private func failUpstream(reason: String) {
        guard case .forwarding(let exchange) = state else { return }
        stopUpstream(of: exchange)
        forwarder.metrics.recordUpstreamFailure(reason: reason)
        if exchange.responseStarted {
            // What was relayed goes out; then the connection closes, the response unfinished.
            exchange.closesConnection = true
            flush(closing: true)
            finish(exchange)
            return
        }
        let refusal =
            reason == "timeout"
            ? GatewayRefusal(status: .gatewayTimeout, code: .upstreamTimeout, description: "the upstream did not answer in time")
            : GatewayRefusal(status: .badGateway, code: .upstreamUnavailable, description: "the upstream could not be reached")
        answer(exchange, refusal: refusal, requestComplete: true)
    }

    // MARK: Client deadlines

    /// The phase the connection's state puts the client in.
    private var currentClientPhase: ClientPhase {
        switch state {
        case .awaitingHead: (inbound.readableBytes > 0 || !answeredOne) ? .head : .idle
        case .collecting, .discarding, .toRouter: .body
        case .forwarding, .awaitingRouter, .closed: .answering
        }
    }

    /// Starts the client's deadline for a new phase (or a new request head); a phase that goes on
    /// keeps its deadline, so trickling bytes does not extend it.
    private func refreshClientDeadline() {
        let phase = currentClientPhase
        guard phase != clientPhase || (phase != .answering && clientPhaseHeads != headsRead) else { return }
        clientPhase = phase
        clientPhaseHeads = headsRead
        let timeout: TimeAmount
        switch phase {
        case .head: timeout = forwarder.headTimeout
        case .idle: timeout = forwarder.idleTimeout
        case .body: timeout = forwarder.bodyTimeout
        case .answering:
            clientDeadline = .distantFuture
            return
        }
        clientDeadline = .now() + timeout
        if clientTimer == nil { armClientTimer(at: clientDeadline) }
    }

    private func armClientTimer(at deadline: NIODeadline) {
        guard let context else { return }
        clientTimer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            clientTimer = nil
            guard clientDeadline != .distantFuture else { return }
            if clientDeadline > .now() {
                armClientTimer(at: clientDeadline)
            } else {
                clientTimedOut()
            }
        }
    }

    private func stopClientTimer() {
        clientTimer?.cancel()
        clientTimer = nil
        clientDeadline = .distantFuture
    }

    /// The client missed its deadline: answered 408 when a request is waiting for an answer, and
    /// the connection closed in every case.
    private func clientTimedOut() {
        let phase = currentClientPhase
        stopClientTimer()
        let timeout = GatewayRefusal(status: .requestTimeout, code: .requestTimeout, description: "the request did not arrive in time")
        switch state {
        case .awaitingHead where inbound.readableBytes > 0:
            forwarder.metrics.recordClientTimeout(phase: "head")
            write(policy.refusalResponse(timeout, requestID: RequestID.generate(), origin: nil, connection: .close), closing: true)
            recordRequest(route: "unmatched", status: timeout.status.code)
        case .awaitingHead:
            forwarder.metrics.recordClientTimeout(phase: phase == .idle ? "idle" : "head")
            context?.close(promise: nil)
        case .collecting(let exchange):
            forwarder.metrics.recordClientTimeout(phase: "body")
            exchange.closesConnection = true
            answer(exchange, refusal: timeout, requestComplete: true)
        case .discarding(let exchange):
            forwarder.metrics.recordClientTimeout(phase: "body")
            exchange.closesConnection = true
            flush(closing: true)
            finish(exchange)
        case .toRouter:
            // The router has the head and part of the body; the connection ends.
            forwarder.metrics.recordClientTimeout(phase: "body")
            context?.close(promise: nil)
        case .forwarding, .awaitingRouter, .closed:
            return
        }
        state = .closed
        inbound = .drained
    }

    // MARK: Answers

    /// Answers `exchange` with a refusal. The exchange ends now when its request has been read
    /// completely, else once the rest of its body has been read (and dropped).
    ///
    /// A body is read and dropped only when it is small enough to be worth keeping the connection
    /// for: a 413, or a declared length over the body limit, closes the connection instead, its
    /// body unread (a chunked body is dropped up to the limit, then the connection closes).
    private func answer(_ exchange: Exchange, refusal: GatewayRefusal, requestComplete: Bool = false) {
        var requestComplete = requestComplete
        if !requestComplete {
            var skipsBody = refusal.status == .contentTooLarge
            if case .length(let remaining) = framing, remaining > policy.maximumBodySize { skipsBody = true }
            if skipsBody {
                exchange.closesConnection = true
                requestComplete = true
            }
        }
        discardedBytes = 0
        exchange.status = refusal.status.code
        let response = policy.refusalResponse(
            refusal, requestID: exchange.requestID, origin: exchange.origin, connection: exchange.connectionField,
            toHEAD: exchange.request.method == "HEAD")
        write(response, closing: exchange.closesConnection)
        if requestComplete {
            finish(exchange)
        } else {
            state = .discarding(exchange)
        }
    }

    /// A head the parser refused: answered (400, 431 or 505) and the connection closed, since
    /// where the next request would start is unknown.
    private func refuseMalformed(_ error: HTTPHeadParser.Failure) {
        let refusal: GatewayRefusal
        switch error {
        case .malformed(let reason):
            refusal = GatewayRefusal(status: .badRequest, code: .invalidRequest, description: "malformed HTTP request: \(reason)")
        case .tooLarge:
            refusal = GatewayRefusal(status: .requestHeaderFieldsTooLarge, code: .invalidRequest, description: "the request head is too large")
        case .unsupportedVersion:
            refusal = GatewayRefusal(status: .httpVersionNotSupported, code: .invalidRequest, description: "only HTTP/1.1 and HTTP/1.0 are served here")
        }
        let requestID = RequestID.generate()
        write(policy.refusalResponse(refusal, requestID: requestID, origin: nil, connection: .close), closing: true)
        recordRequest(route: "unmatched", status: refusal.status.code)
        state = .closed
        inbound = .drained
    }

    private func write(_ bytes: ByteBuffer, closing: Bool) {
        context?.write(wrapOutboundOut(.byteBuffer(bytes)), promise: nil)
        flush(closing: closing)
    }

    /// Flushes; closes the connection once everything is written when `closing`.
    private func flush(closing: Bool) {
        guard let context else { return }
        guard closing else {
            context.flush()
            return
        }
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.byteBuffer(ByteBuffer())), promise: written)
        written.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }

    /// Counts and logs the exchange, then goes on with whatever was pipelined behind it.
    private func finish(_ exchange: Exchange) {
        answeredOne = true
        recordRequest(route: exchange.route, status: exchange.status)
        if let accessLogger = forwarder.accessLogger {
            AccessLog.record(
                to: accessLogger, requestID: exchange.requestID, method: exchange.request.method, route: exchange.route,
                status: exchange.status, duration: .nanoseconds((NIODeadline.now() - exchange.start).nanoseconds), client: clientKey)
        }
        if exchange.closesConnection {
            state = .closed
            inbound = .drained
            return
        }
        if quiesceHeld {
            quiesceHeld = false
            state = .closed
            inbound = .drained
            context?.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
            return
        }
        state = .awaitingHead
        process()
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

    /// The client went away: the upstream connection is dropped mid-request.
    private func abandonExchange() {
        guard let exchange else { return }
        stopUpstream(of: exchange)
        state = .closed
    }

    /// Closes the exchange's upstream connection, if any: a connection
    /// left mid-response is never reused.
    private func stopUpstream(of exchange: Exchange) {
        if let upstream = exchange.upstream {
            upstream.receiver = nil
            upstream.close()
            exchange.upstream = nil
        }
    }
}
