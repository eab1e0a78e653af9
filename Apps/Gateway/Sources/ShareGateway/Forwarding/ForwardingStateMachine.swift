import NIOCore
import ShareCore

/// What happens on one client connection, as a value: events in (bytes read, the upstream's
/// response, timers, the router's answer), actions out (bytes to write, reads to ask for, an
/// upstream request to send, metrics to record). It performs no I/O and reads no clock — every
/// event that needs the time is given it — so that ``ForwardingHandler`` only carries out what it
/// returns and the logic is tested on its own, in the manner of AsyncHTTPClient's
/// `HTTP1ConnectionStateMachine`.
///
/// Requests are read with ``HTTPHeadParser`` and ``BodyFraming``. Requests for the operations
/// endpoints (`/healthz`, `/readyz`, `/metrics`, the console) go to the router behind the handler
/// as the bytes that came (``Action/passToRouter(_:)``); every other request is checked by
/// ``ForwardingPolicy``, answered here when refused, and otherwise sent upstream
/// (``Action/sendUpstream(_:method:decodesChunks:exchange:)``). The upstream's response head is
/// rewritten and its body relayed as it arrives.
///
/// HTTP/1.1 answers in order: while one request is answered, bytes of requests pipelined behind it
/// wait and no read is asked for. The quiesce event of a graceful shutdown waits for the request
/// in flight. The client's deadlines (``ClientConnectionLimits``) and the upstream timeout are one
/// timer each per connection, scheduled again only when they fire early.
///
/// A connection that closes after an answer while its client may still be sending (a refusal
/// before the end of the request, a late head or body, pipelined bytes) lingers
/// (``Action/closeOutputAndLinger(until:)``): the output closes after the answer, and what still
/// comes is read and dropped for ``lingerTime`` or until the client closes its side.
///
/// A client may close its side once its requests are written (a half-close, as `nc -N` or a
/// script's `shutdown(SHUT_WR)` does; ``inputClosed(now:into:)``): every complete request it sent
/// is still answered, in order, and the connection closes after the last answer. A request cut
/// short by the close is answered 400 when its head was read (its body can no longer arrive) and
/// dropped with the connection when its head was not.
///
/// Events append their actions to an array the caller owns and reuses, so that a request
/// allocates no action list of its own.
struct ForwardingStateMachine {
    /// What the machine needs to know about the gateway and the connection.
    struct Configuration {
        let policy: ForwardingPolicy
        /// The client's address, the key of rate limits.
        let clientKey: String
        let upstreamTimeout: TimeAmount
        let headTimeout: TimeAmount
        let bodyTimeout: TimeAmount
        let idleTimeout: TimeAmount
        /// Whether answered requests produce ``Action/logAccess(_:)``.
        let logsAccess: Bool
    }

    /// What the handler does, in order.
    enum Action: Equatable {
        /// Writes bytes to the client (not flushed).
        case write(ByteBuffer)
        case flush
        /// Flushes, then closes the connection once everything is written.
        case flushAndClose
        /// Flushes, closes the output once everything is written — the client reads the answer,
        /// then the end of the stream — and sets the client timer for `until`, in place of the one
        /// armed. Reads go on meanwhile, their bytes dropped, until that timer fires
        /// (``clientTimerFired(now:into:)``) or the client closes its side
        /// (``inputClosed(now:into:)``): either closes the connection.
        case closeOutputAndLinger(until: NIODeadline)
        /// Closes the connection now.
        case close
        /// Asks the channel for more bytes, from this handler.
        case read
        /// Asks for more bytes from the pipeline's tail, so the router's stream can hold it back.
        case readFromTail
        /// Hands bytes of a request for the router to the handlers behind.
        case passToRouter(ByteBuffer)
        /// Ends a read burst for the router (its stream delivers what it was given then).
        case endRouterReadBurst
        /// Sends a complete upstream request on a pooled connection; its events come back tagged
        /// with `exchange`.
        case sendUpstream(ByteBuffer, method: String, decodesChunks: Bool, exchange: Int)
        /// Returns the exchange's upstream connection to the pool.
        case releaseUpstream(reusable: Bool)
        /// Closes the exchange's upstream connection: one left mid-response is never reused.
        case closeUpstream
        case scheduleUpstreamTimer(NIODeadline)
        case scheduleClientTimer(NIODeadline)
        /// Cancels both timers: the connection is gone.
        case cancelTimers
        /// Passes the held quiesce event on: the connection may close now.
        case forwardQuiesce
        case recordRequest(route: String, status: Int)
        case recordUpstreamLatency(route: String, nanoseconds: Int64)
        case recordUpstreamFailure(UpstreamFailure)
        case recordClientTimeout(ClientTimeout)
        case logAccess(AccessRecord)
    }

    /// What the client was late with (the `phase` label of `gateway_client_timeouts_total`).
    enum ClientTimeout: String, Equatable {
        case head, body, idle
    }

    /// One line of the access log.
    struct AccessRecord: Equatable {
        let requestID: String
        let method: String
        let route: String
        let status: Int
        let duration: Duration
    }

    enum State: Equatable {
        /// Waiting for (the rest of) a request head.
        case awaitingHead
        /// Reading the body of a request to forward.
        case collecting
        /// Answered already (refused, or a preflight); reading the rest of the request's body.
        case discarding
        /// Sent upstream; waiting for, then relaying, the response.
        case forwarding
        /// Passing the body of a request for the router on to it.
        case toRouter
        /// The router is answering.
        case awaitingRouter
        /// Answered, and the output closed: what the client still sends is read and dropped until
        /// the linger ends.
        case lingering
        /// The connection is closing; nothing more is read.
        case closed
    }

    /// Where a forwarded exchange stands with its upstream.
    enum UpstreamPhase: Equatable {
        /// Not sent upstream (yet).
        case none
        /// Waiting for a pooled connection.
        case connecting
        /// Sent; waiting for the response head.
        case awaitingHead
        /// Relaying the response's body.
        case relaying
    }

    /// One request being forwarded or answered by the gateway. Present exactly in the states
    /// `collecting`, `discarding` and `forwarding`.
    struct Exchange {
        let id: Int
        let requestID: String
        let request: ParsedRequestHead
        let path: String
        let query: Substring?
        let route: String
        let origin: String?
        var closesConnection: Bool
        let start: NIODeadline
        var body: ByteBuffer?
        var status = 0
        var upstream = UpstreamPhase.none
        var upstreamStart: NIODeadline?
        /// When the upstream must have answered completely.
        var deadline = NIODeadline.distantFuture

        /// Whether an upstream connection is attached (sent or relaying).
        var holdsUpstreamConnection: Bool {
            upstream == .awaitingHead || upstream == .relaying
        }

        /// The `Connection` header of the answer.
        var connectionField: HTTPResponseWriter.ConnectionField {
            closesConnection ? .close : (request.minorVersion == 0 ? .keepAlive : .none)
        }
    }

    /// What the client is expected to send next, which sets its deadline.
    enum ClientPhase: Equatable {
        /// A request head (on a new connection, or once a keep-alive one's next request began).
        case head
        /// The next request on a keep-alive connection.
        case idle
        /// The body of the current request.
        case body
        /// Nothing: the gateway or the upstream is answering.
        case answering
        /// Nothing more: the connection is lingering; its deadline is the linger's end.
        case lingering
    }

    /// The longest request head accepted (431 beyond).
    static let maximumHeadSize = 32 * 1024

    /// How long a connection stays half-open after an answer its client may still be sending
    /// behind. Closing a socket with unread input resets the connection, and the reset can
    /// destroy the answer in the client's buffers before the client reads it (or fail the
    /// client's next write before it looks for an answer); closing only the output sends the
    /// answer's end instead, and dropping what still comes keeps the client's writes going until
    /// it reads. Two seconds are plenty for a client to see the answer and stop, and short
    /// enough that a client trickling on forever holds its connection only that much longer.
    static let lingerTime = TimeAmount.seconds(2)

    let configuration: Configuration
    private var policy: ForwardingPolicy { configuration.policy }

    private(set) var state = State.awaitingHead
    private(set) var exchange: Exchange?
    /// Bytes read and not handled yet: the rest of the current request, or pipelined ones.
    private var inbound = ByteBuffer.drained
    /// The buffers upstream requests and response heads are built in, reused: by the time the
    /// next one is built, the channel has written and let go of the previous one.
    private var upstreamRequestBuffer = ByteBuffer()
    private var responseHeadBuffer = ByteBuffer()
    private var fieldStorage: [HTTPMessageHead.Field] = []
    private var headScanned = 0
    /// How the body of the request being read is delimited.
    private var framing = BodyFraming.none
    private var exchangesStarted = 0
    /// The router finished its response before its request's body was all passed on.
    private var routerAnswered = false
    /// Bytes went to the router during this pass of ``process(now:into:)``.
    private var passedToRouter = false
    /// A read was asked for while pipelined bytes waited: asked for once they can be handled.
    private(set) var readHeld = false
    private(set) var quiesceHeld = false
    /// The client closed its side of the connection: no byte more will come.
    private(set) var inputEnded = false
    private var isProcessing = false
    private var upstreamTimerArmed = false
    private var clientTimerArmed = false
    private(set) var clientPhase = ClientPhase.answering
    /// Request heads read so far: a new head starts a new deadline even in the same phase.
    private var headsRead = 0
    private var clientPhaseHeads = -1
    private(set) var clientDeadline = NIODeadline.distantFuture
    /// Whether a request has been answered on this connection (its next wait is `idle`).
    private var answeredOne = false
    /// Body bytes read and dropped for a refused request.
    private var discardedBytes = 0

    init(configuration: Configuration) {
        self.configuration = configuration
    }

    // MARK: Connection events

    /// The connection is set up: the client's head deadline starts.
    mutating func start(now: NIODeadline, into actions: inout [Action]) {
        refreshClientDeadline(now: now, into: &actions)
    }

    /// The connection is refused before anything is read.
    mutating func refuse() {
        state = .closed
    }

    /// Bytes from the client.
    mutating func bytesRead(_ bytes: ByteBuffer, now: NIODeadline, into actions: inout [Action]) {
        // While lingering, what comes is dropped: nothing is buffered.
        guard state != .closed && state != .lingering else { return }
        var bytes = bytes
        if inbound.readableBytes == 0 {
            inbound = bytes
        } else {
            inbound.writeBuffer(&bytes)
        }
        process(now: now, into: &actions)
    }

    /// The end of a read burst: the next read, unless pipelined bytes wait for an answer.
    mutating func readComplete(into actions: inout [Action]) {
        switch state {
        case .closed:
            return
        case .toRouter:
            actions.append(.readFromTail)
        default:
            if readRequested() { actions.append(.read) }
        }
    }

    /// A read asked for by the handlers behind; `true` when it goes ahead now, `false` when held
    /// until the current answer is complete.
    mutating func readRequested() -> Bool {
        if isWaiting && inbound.readableBytes > 0 {
            readHeld = true
            return false
        }
        return true
    }

    /// The server asks the connection to close: `true` when that waits for the request in flight
    /// (``Action/forwardQuiesce`` follows once it is answered).
    mutating func quiesceRequested() -> Bool {
        // A lingering connection closes at the end of its linger anyway.
        if state == .lingering { return true }
        guard exchange != nil else { return false }
        quiesceHeld = true
        return true
    }

    /// The client's connection is gone.
    mutating func channelInactive(into actions: inout [Action]) {
        actions.append(.cancelTimers)
        if let exchange, exchange.holdsUpstreamConnection { actions.append(.closeUpstream) }
        exchange = nil
        state = .closed
        inbound = .drained
        clientDeadline = .distantFuture
    }

    /// The client closed its side of the connection (the channel allows half-closure): `false`
    /// when the event is for the handlers behind (the router's request, or a connection already
    /// closing).
    ///
    /// A linger ends at once (``Action/close``). Otherwise what was read is still answered —
    /// a request being forwarded, requests pipelined behind it — and the connection closes once
    /// nothing is left to answer (``Action/flushAndClose``); a request whose body can no longer
    /// arrive is answered 400.
    mutating func inputClosed(now: NIODeadline, into actions: inout [Action]) -> Bool {
        switch state {
        case .lingering:
            endConnection(into: &actions)
            return true
        case .closed:
            return false
        case .toRouter, .awaitingRouter:
            // The router's handlers see the end of the input too, and answer or close; once the
            // router has answered, this connection closes when nothing else is left to answer.
            inputEnded = true
            return false
        case .awaitingHead, .collecting, .discarding, .forwarding:
            inputEnded = true
            process(now: now, into: &actions)
            return true
        }
    }

    /// The router has written the end of its response.
    mutating func routerResponseEnded(now: NIODeadline, into actions: inout [Action]) {
        switch state {
        case .awaitingRouter:
            state = .awaitingHead
            answeredOne = true
            process(now: now, into: &actions)
        case .toRouter:
            routerAnswered = true
        default:
            break
        }
    }

    // MARK: Upstream events

    /// A pooled connection is ready for `exchange`'s request; `false` when the exchange is over
    /// (timed out, client gone) and the connection goes back to the pool unused.
    mutating func upstreamConnected(exchange id: Int) -> Bool {
        guard state == .forwarding, exchange?.id == id, exchange?.upstream == .connecting else { return false }
        exchange!.upstream = .awaitingHead
        return true
    }

    /// The upstream's final response head, how its body is framed, and the whole body when it
    /// came with the head.
    mutating func upstreamResponseHead(_ head: ParsedResponseHead, framing: BodyFraming, body: ByteBuffer?, into actions: inout [Action]) {
        // The exchange is changed in place, here and on the rest of a forwarded request's path: a
        // copy would retain each of its strings and buffers, and release them again.
        guard state == .forwarding, exchange?.upstream == .awaitingHead else { return }
        let relaysChunks: Bool
        switch framing {
        case .chunked:
            // An HTTP/1.0 client gets the data without chunk framing, up to the connection's end.
            relaysChunks = exchange!.request.minorVersion >= 1
            if !relaysChunks { exchange!.closesConnection = true }
        case .untilClose:
            exchange!.closesConnection = true
            relaysChunks = false
        case .none, .length:
            relaysChunks = false
        }
        exchange!.status = head.status
        exchange!.upstream = .relaying
        responseHeadBuffer.clear()
        policy.writeClientHead(
            from: head, requestID: exchange!.requestID, origin: exchange!.origin, relaysChunks: relaysChunks, connection: exchange!.connectionField,
            into: &responseHeadBuffer)
        // A small body that came with the head goes out with it: one buffer, one write.
        if let body { responseHeadBuffer.writeImmutableBuffer(body) }
        actions.append(.write(responseHeadBuffer))
    }

    /// Body bytes to relay.
    mutating func upstreamResponseBody(_ bytes: ByteBuffer, into actions: inout [Action]) {
        guard state == .forwarding, exchange?.upstream == .relaying else { return }
        actions.append(.write(bytes))
    }

    /// The end of an upstream read burst: what was relayed goes out.
    mutating func upstreamReadComplete(into actions: inout [Action]) {
        guard state == .forwarding, exchange?.upstream == .relaying else { return }
        actions.append(.flush)
    }

    /// The response is complete; `reusable` tells whether its connection can serve another request.
    mutating func upstreamResponseEnd(reusable: Bool, now: NIODeadline, into actions: inout [Action]) {
        guard state == .forwarding, exchange?.upstream == .relaying else { return }
        actions.append(.releaseUpstream(reusable: reusable))
        exchange!.upstream = .none
        if let upstreamStart = exchange!.upstreamStart {
            actions.append(.recordUpstreamLatency(route: exchange!.route, nanoseconds: (now - upstreamStart).nanoseconds))
        }
        if exchange!.closesConnection {
            closeAfterAnswer(clientMaySend: false, now: now, into: &actions)
        } else {
            actions.append(.flush)
        }
        finish(now: now, into: &actions)
    }

    /// The upstream failed `exchange`: before the response head, answered 502 or 504; after it,
    /// the response cannot be completed, so the connection is closed.
    mutating func upstreamFailed(_ failure: UpstreamFailure, exchange id: Int, now: NIODeadline, into actions: inout [Action]) {
        guard state == .forwarding, var exchange, exchange.id == id else { return }
        if exchange.holdsUpstreamConnection { actions.append(.closeUpstream) }
        let responseStarted = exchange.upstream == .relaying
        exchange.upstream = .none
        actions.append(.recordUpstreamFailure(failure))
        if responseStarted {
            // What was relayed goes out; then the connection closes, the response unfinished.
            exchange.closesConnection = true
            self.exchange = exchange
            closeAfterAnswer(clientMaySend: false, now: now, into: &actions)
            finish(now: now, into: &actions)
            return
        }
        self.exchange = exchange
        answer(refusal: failure.refusal, requestComplete: true, now: now, into: &actions)
    }

    /// The upstream timer fired.
    mutating func upstreamTimerFired(now: NIODeadline, into actions: inout [Action]) {
        upstreamTimerArmed = false
        guard state == .forwarding, let exchange else { return }
        if exchange.deadline <= now {
            upstreamFailed(.responseTimeout, exchange: exchange.id, now: now, into: &actions)
        } else {
            upstreamTimerArmed = true
            actions.append(.scheduleUpstreamTimer(exchange.deadline))
        }
    }

    /// The client timer fired: the client missed its deadline, or a linger is over.
    mutating func clientTimerFired(now: NIODeadline, into actions: inout [Action]) {
        clientTimerArmed = false
        guard clientDeadline != .distantFuture else { return }
        if clientDeadline > now {
            clientTimerArmed = true
            actions.append(.scheduleClientTimer(clientDeadline))
        } else if state == .lingering {
            endConnection(into: &actions)
        } else {
            clientTimedOut(now: now, into: &actions)
        }
    }

    // MARK: Requests

    /// Whether the current request's answer is awaited before reading on.
    private var isWaiting: Bool {
        state == .forwarding || state == .awaitingRouter
    }

    /// Handles what has been read, as far as the state allows.
    private mutating func process(now: NIODeadline, into actions: inout [Action]) {
        guard !isProcessing else { return }
        isProcessing = true
        loop: while true {
            switch state {
            case .awaitingHead:
                guard readRequestHead(now: now, into: &actions) else { break loop }
            case .collecting:
                guard readBody(now: now, into: &actions) else { break loop }
            case .discarding:
                var complete = false
                var broken = false
                var dropped = 0
                do {
                    complete = try framing.read(&inbound) { dropped += $0.readableBytes }
                } catch {
                    broken = true
                }
                discardedBytes += dropped
                if !complete && !broken && discardedBytes <= policy.maximumBodySize { break loop }
                if !complete || broken {
                    // A broken or oversized body of a request answered already: not read further.
                    exchange!.closesConnection = true
                    closeAfterAnswer(clientMaySend: true, now: now, into: &actions)
                }
                finish(now: now, into: &actions)
            case .toRouter:
                guard passBodyToRouter(into: &actions) else { break loop }
            case .forwarding, .awaitingRouter, .lingering, .closed:
                break loop
            }
        }
        if inputEnded { clientInputEnded(now: now, into: &actions) }
        isProcessing = false
        if passedToRouter {
            passedToRouter = false
            // The router's inbound stream delivers what it was given at the end of a read burst:
            // each pass that handed it bytes ends one, inside the channel's read burst or not.
            actions.append(.endRouterReadBurst)
        }
        if inbound.readableBytes == 0 { inbound = .drained }
        refreshClientDeadline(now: now, into: &actions)
        if readHeld && !(isWaiting && inbound.readableBytes > 0) {
            readHeld = false
            actions.append(.read)
        }
    }

    /// Reads one request head and decides what happens to the request. `false` when more bytes
    /// are needed or the connection is closing.
    private mutating func readRequestHead(now: NIODeadline, into actions: inout [Action]) -> Bool {
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
            refuseMalformed(error, now: now, into: &actions)
            return false
        }
        let route: ForwardingPolicy.Route
        do {
            route = try policy.route(target: request.target)
        } catch {
            begin(request, path: "", query: nil, route: "unmatched", now: now)
            answer(refusal: error, now: now, into: &actions)
            return true
        }
        switch route {
        case .operations(let label):
            do {
                try policy.admitOperations(request, framing: framing, clientKey: configuration.clientKey)
            } catch {
                begin(request, path: "", query: nil, route: label, now: now)
                answer(refusal: error, now: now, into: &actions)
                return true
            }
            routerAnswered = false
            passToRouter(headBytes, into: &actions)
            state = requestHasBody ? .toRouter : .awaitingRouter
        case .forwarded(let path, let query, let entry):
            begin(request, path: path, query: query, route: entry?.label ?? "unmatched", now: now)
            admit(entry: entry, now: now, into: &actions)
        }
        return true
    }

    private mutating func begin(_ request: ParsedRequestHead, path: String, query: Substring?, route: String, now: NIODeadline) {
        exchangesStarted += 1
        exchange = Exchange(
            id: exchangesStarted, requestID: RequestID.resolve(request.head.value("x-request-id")), request: request, path: path, query: query,
            route: route, origin: request.head.value("origin"), closesConnection: !request.isKeepAlive, start: now)
    }

    private mutating func admit(entry: PathAllowlist.Entry?, now: NIODeadline, into actions: inout [Action]) {
        let declaredLength: Int?
        if case .length(let remaining) = framing { declaredLength = remaining } else { declaredLength = nil }
        do {
            switch try policy.admit(exchange!.request, entry: entry, declaredLength: declaredLength, clientKey: configuration.clientKey) {
            case .preflight(var fields):
                fields[.xRequestID] = exchange!.requestID
                exchange!.status = 204
                actions.append(.write(HTTPResponseWriter.response(status: .noContent, fields: fields, body: nil, connection: exchange!.connectionField)))
                answered(requestComplete: false, now: now, into: &actions)
            case .collectBody:
                if exchange!.request.head.value("expect")?.lowercased() == "100-continue" {
                    actions.append(.write(HTTPResponseWriter.continueResponse))
                    actions.append(.flush)
                }
                state = .collecting
            }
        } catch {
            answer(refusal: error, now: now, into: &actions)
        }
    }

    /// Collects the body of a request to forward; sends it once complete. `false` when more
    /// bytes are needed or the request has been answered and the connection is closing.
    private mutating func readBody(now: NIODeadline, into actions: inout [Action]) -> Bool {
        var tooLarge = false
        var body = exchange!.body
        exchange!.body = nil
        let maximumBodySize = policy.maximumBodySize
        let complete: Bool
        do {
            complete = try framing.read(&inbound) { chunk in
                let collected = body?.readableBytes ?? 0
                if tooLarge || collected + chunk.readableBytes > maximumBodySize {
                    tooLarge = true
                } else if body == nil {
                    body = chunk
                } else {
                    body!.writeImmutableBuffer(chunk)
                }
            }
        } catch {
            exchange!.closesConnection = true
            answer(
                refusal: GatewayRefusal(status: .badRequest, code: .invalidRequest, description: "the chunked request body is malformed"),
                now: now, into: &actions)
            return false
        }
        if tooLarge {
            // The rest of an oversized body is not read: answer and close the connection.
            exchange!.closesConnection = true
            answer(refusal: policy.tooLarge(), now: now, into: &actions)
            return false
        }
        exchange!.body = body
        guard complete else { return false }
        sendUpstream(now: now, into: &actions)
        return true
    }

    // MARK: Router

    private mutating func passToRouter(_ bytes: ByteBuffer, into actions: inout [Action]) {
        actions.append(.passToRouter(bytes))
        passedToRouter = true
    }

    /// Passes the body of the router's request on, framing included. `false` when more bytes
    /// are needed.
    private mutating func passBodyToRouter(into actions: inout [Action]) -> Bool {
        let raw: (bytes: ByteBuffer?, complete: Bool)
        do {
            raw = try framing.readRaw(&inbound)
        } catch {
            // The router has the head already; a broken body ends the connection.
            state = .closed
            actions.append(.close)
            return false
        }
        if let bytes = raw.bytes { passToRouter(bytes, into: &actions) }
        guard raw.complete else { return false }
        if routerAnswered { answeredOne = true }
        state = routerAnswered ? .awaitingHead : .awaitingRouter
        routerAnswered = false
        return true
    }

    // MARK: Upstream

    private mutating func sendUpstream(now: NIODeadline, into actions: inout [Action]) {
        upstreamRequestBuffer.clear()
        do {
            try policy.writeUpstreamRequest(
                exchange!.request, path: exchange!.path, query: exchange!.query, body: exchange!.body, requestID: exchange!.requestID,
                into: &upstreamRequestBuffer)
        } catch {
            answer(refusal: error, requestComplete: true, now: now, into: &actions)
            return
        }
        let deadline = now + configuration.upstreamTimeout
        exchange!.body = nil
        exchange!.upstreamStart = now
        exchange!.deadline = deadline
        exchange!.upstream = .connecting
        state = .forwarding
        if !upstreamTimerArmed {
            upstreamTimerArmed = true
            actions.append(.scheduleUpstreamTimer(deadline))
        }
        actions.append(
            .sendUpstream(upstreamRequestBuffer, method: exchange!.request.method, decodesChunks: exchange!.request.minorVersion == 0, exchange: exchange!.id))
    }

    // MARK: Client deadlines

    /// The phase the connection's state puts the client in.
    private var currentClientPhase: ClientPhase {
        switch state {
        case .awaitingHead: (inbound.readableBytes > 0 || !answeredOne) ? .head : .idle
        case .collecting, .discarding, .toRouter: .body
        case .forwarding, .awaitingRouter, .closed: .answering
        case .lingering: .lingering
        }
    }

    /// Starts the client's deadline for a new phase (or a new request head); a phase that goes on
    /// keeps its deadline, so trickling bytes does not extend it.
    private mutating func refreshClientDeadline(now: NIODeadline, into actions: inout [Action]) {
        let phase = currentClientPhase
        guard phase != clientPhase || (phase != .answering && clientPhaseHeads != headsRead) else { return }
        clientPhase = phase
        clientPhaseHeads = headsRead
        let timeout: TimeAmount
        switch phase {
        case .head: timeout = configuration.headTimeout
        case .idle: timeout = configuration.idleTimeout
        case .body: timeout = configuration.bodyTimeout
        case .answering:
            clientDeadline = .distantFuture
            return
        case .lingering:
            // Its deadline was set as the linger began.
            return
        }
        clientDeadline = now + timeout
        if !clientTimerArmed {
            clientTimerArmed = true
            actions.append(.scheduleClientTimer(clientDeadline))
        }
    }

    /// The client missed its deadline: answered 408 when a request is waiting for an answer, and
    /// the connection closed in every case — after a linger when the client was sending.
    private mutating func clientTimedOut(now: NIODeadline, into actions: inout [Action]) {
        let phase = currentClientPhase
        clientDeadline = .distantFuture
        let timeout = GatewayRefusal(status: .requestTimeout, code: .requestTimeout, description: "the request did not arrive in time")
        switch state {
        case .awaitingHead where inbound.readableBytes > 0:
            actions.append(.recordClientTimeout(.head))
            actions.append(.write(policy.refusalResponse(timeout, requestID: RequestID.generate(), origin: nil, connection: .close)))
            closeAfterAnswer(clientMaySend: true, now: now, into: &actions)
            actions.append(.recordRequest(route: "unmatched", status: timeout.status.code))
        case .awaitingHead:
            actions.append(.recordClientTimeout(phase == .idle ? .idle : .head))
            endConnection(into: &actions)
        case .collecting:
            actions.append(.recordClientTimeout(.body))
            exchange!.closesConnection = true
            answer(refusal: timeout, now: now, into: &actions)
        case .discarding:
            actions.append(.recordClientTimeout(.body))
            exchange!.closesConnection = true
            closeAfterAnswer(clientMaySend: true, now: now, into: &actions)
            finish(now: now, into: &actions)
        case .toRouter:
            // The router has the head and part of the body; the connection ends.
            actions.append(.recordClientTimeout(.body))
            endConnection(into: &actions)
        case .forwarding, .awaitingRouter, .lingering, .closed:
            return
        }
    }

    // MARK: Answers

    /// Answers the current exchange with a refusal; `requestComplete` when its request has been
    /// read to its end.
    ///
    /// A body is read and dropped only when it is small enough to be worth keeping the connection
    /// for: a 413, or a declared length over the body limit, closes the connection instead, its
    /// body unread (a chunked body is dropped up to the limit, then the connection closes).
    private mutating func answer(refusal: GatewayRefusal, requestComplete: Bool = false, now: NIODeadline, into actions: inout [Action]) {
        if !requestComplete {
            var skipsBody = refusal.status == .contentTooLarge
            if case .length(let remaining) = framing, remaining > policy.maximumBodySize { skipsBody = true }
            if skipsBody { exchange!.closesConnection = true }
        }
        exchange!.status = refusal.status.code
        exchange!.body = nil
        let exchange = exchange!
        let response = policy.refusalResponse(
            refusal, requestID: exchange.requestID, origin: exchange.origin, connection: exchange.connectionField,
            toHEAD: exchange.request.method == "HEAD")
        actions.append(.write(response))
        answered(requestComplete: requestComplete, now: now, into: &actions)
    }

    /// Goes on once the current exchange's answer is written; `requestComplete` when its request
    /// has been read to its end. On a connection that stays open the exchange ends now, or once
    /// the rest of its body has been read (and dropped); a connection that closes ends it now,
    /// the rest of the request unread (``closeAfterAnswer(clientMaySend:now:into:)``).
    private mutating func answered(requestComplete: Bool, now: NIODeadline, into actions: inout [Action]) {
        if exchange!.closesConnection {
            closeAfterAnswer(clientMaySend: !requestComplete && requestHasBody, now: now, into: &actions)
            finish(now: now, into: &actions)
        } else if requestComplete {
            actions.append(.flush)
            finish(now: now, into: &actions)
        } else {
            actions.append(.flush)
            discardedBytes = 0
            state = .discarding
        }
    }

    /// Whether the current request has a body, framed by `Content-Length` or chunks.
    private var requestHasBody: Bool {
        if case .none = framing { return false }
        return true
    }

    /// Ends the connection once the answer written is out. When the client may still be sending
    /// — `clientMaySend` (the rest of a request), or bytes read and not handled (pipelined
    /// requests) — it lingers (``Action/closeOutputAndLinger(until:)``, see ``lingerTime``);
    /// otherwise it closes at once.
    private mutating func closeAfterAnswer(clientMaySend: Bool, now: NIODeadline, into actions: inout [Action]) {
        // Nothing can come after the client closed its side: nothing to linger for.
        let lingers = !inputEnded && (clientMaySend || inbound.readableBytes > 0 || readHeld)
        inbound = .drained
        guard lingers else {
            state = .closed
            clientDeadline = .distantFuture
            actions.append(.flushAndClose)
            return
        }
        state = .lingering
        clientPhase = .lingering
        clientDeadline = now + Self.lingerTime
        clientTimerArmed = true
        actions.append(.closeOutputAndLinger(until: clientDeadline))
        if readHeld {
            // The bytes waiting behind are to be read, and dropped, now.
            readHeld = false
            actions.append(.read)
        }
    }

    /// What waits for the client's bytes, which will not come (``inputEnded``), ends: a
    /// connection waiting for a request head closes once its answers are written (a partial head
    /// is dropped with it), a body being read is answered 400, and a refused request's body stops
    /// being read.
    private mutating func clientInputEnded(now: NIODeadline, into actions: inout [Action]) {
        switch state {
        case .awaitingHead:
            endConnection(afterFlushing: true, into: &actions)
        case .collecting:
            exchange!.closesConnection = true
            answer(
                refusal: GatewayRefusal(
                    status: .badRequest, code: .invalidRequest,
                    description: "the request body ended early: the client closed its side of the connection"),
                now: now, into: &actions)
        case .discarding:
            exchange!.closesConnection = true
            closeAfterAnswer(clientMaySend: false, now: now, into: &actions)
            finish(now: now, into: &actions)
        case .toRouter, .awaitingRouter, .forwarding, .lingering, .closed:
            // The router's request ends with the router; an exchange in flight is answered first.
            break
        }
    }

    /// Closes the connection now, or once what was written has gone out when `afterFlushing`.
    private mutating func endConnection(afterFlushing: Bool = false, into actions: inout [Action]) {
        state = .closed
        inbound = .drained
        clientDeadline = .distantFuture
        actions.append(afterFlushing ? .flushAndClose : .close)
    }

    /// A head the parser refused: answered (400, 431 or 505) and the connection closed, since
    /// where the next request would start is unknown.
    private mutating func refuseMalformed(_ error: HTTPHeadParser.Failure, now: NIODeadline, into actions: inout [Action]) {
        let refusal: GatewayRefusal
        switch error {
        case .malformed(let reason):
            refusal = GatewayRefusal(status: .badRequest, code: .invalidRequest, description: "malformed HTTP request: \(reason)")
        case .tooLarge:
            refusal = GatewayRefusal(status: .requestHeaderFieldsTooLarge, code: .invalidRequest, description: "the request head is too large")
        case .unsupportedVersion:
            refusal = GatewayRefusal(status: .httpVersionNotSupported, code: .invalidRequest, description: "only HTTP/1.1 and HTTP/1.0 are served here")
        }
        actions.append(.write(policy.refusalResponse(refusal, requestID: RequestID.generate(), origin: nil, connection: .close)))
        // The rest of the head, and any body, are unread.
        closeAfterAnswer(clientMaySend: true, now: now, into: &actions)
        actions.append(.recordRequest(route: "unmatched", status: refusal.status.code))
    }

    /// Counts and logs the exchange, then goes on with whatever was pipelined behind it.
    private mutating func finish(now: NIODeadline, into actions: inout [Action]) {
        guard let exchange = exchange.take() else { return }
        answeredOne = true
        actions.append(.recordRequest(route: exchange.route, status: exchange.status))
        if configuration.logsAccess {
            actions.append(
                .logAccess(
                    AccessRecord(
                        requestID: exchange.requestID, method: exchange.request.method, route: exchange.route, status: exchange.status,
                        duration: .nanoseconds((now - exchange.start).nanoseconds))))
        }
        // A connection that closes has been ended by `closeAfterAnswer` (closing or lingering).
        if exchange.closesConnection { return }
        if quiesceHeld {
            quiesceHeld = false
            state = .closed
            inbound = .drained
            actions.append(.forwardQuiesce)
            return
        }
        state = .awaitingHead
        process(now: now, into: &actions)
    }
}
