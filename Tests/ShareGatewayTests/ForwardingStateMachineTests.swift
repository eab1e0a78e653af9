import NIOCore
import ShareCore
import Testing

@testable import ShareGateway

/// ``ForwardingStateMachine`` driven directly: events in, actions out, the time given by the test.
@Suite("Forwarding state machine")
struct ForwardingStateMachineTests {
    static let body = #"{"token":"t"}"#
    static let start = NIODeadline.uptimeNanoseconds(1_000_000_000)

    static func request(_ extraHeaders: [String] = [], body: String = Self.body, path: String = "/oauth/introspect") -> String {
        var text = "POST \(path) HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\n"
        for header in extraHeaders { text += header + "\r\n" }
        return text + "Content-Length: \(body.utf8.count)\r\n\r\n" + body
    }

    static let okResponse = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n"

    /// A machine for a connection of the test configuration (no rate limit, default allowlist).
    static func machine(_ adjust: (inout GatewayConfiguration) -> Void = { _ in }) throws -> ForwardingStateMachine {
        let configuration = testConfiguration(adjust)
        let policy = ForwardingPolicy(
            configuration: configuration, upstream: try UpstreamTarget(baseURL: "http://upstream.test:8080"), credentials: TestCredentials.upstream,
            audiencePolicy: try AudiencePolicy(allowing: [], registry: makePartnerRegistry()),
            rateLimiter: TokenBucketRateLimiter(configuration: configuration.rateLimit))
        var machine = ForwardingStateMachine(
            configuration: .init(
                policy: policy, clientKey: "192.0.2.1", upstreamTimeout: .seconds(5), headTimeout: .seconds(10), bodyTimeout: .seconds(30),
                idleTimeout: .seconds(60), logsAccess: true))
        var actions: [ForwardingStateMachine.Action] = []
        machine.start(now: start, into: &actions)
        #expect(actions == [.scheduleClientTimer(start + .seconds(10))])
        return machine
    }

    static func responseHead(_ text: String = okResponse) throws -> ParsedResponseHead {
        try HTTPHeadParser.parseResponse(ByteBuffer(string: text))
    }

    /// Feeds `text` as one read and returns the actions.
    static func read(_ text: String, into machine: inout ForwardingStateMachine, at now: NIODeadline = start) -> [ForwardingStateMachine.Action] {
        var actions: [ForwardingStateMachine.Action] = []
        machine.bytesRead(ByteBuffer(string: text), now: now, into: &actions)
        return actions
    }

    /// The upstream answers `exchange` with 200 and `ok`, reusable.
    static func answer(_ exchange: Int, on machine: inout ForwardingStateMachine, at now: NIODeadline = start) throws -> [ForwardingStateMachine.Action] {
        var actions: [ForwardingStateMachine.Action] = []
        do {
            let result = machine.upstreamConnected(exchange: exchange)
            #expect(result)
        }
        machine.upstreamResponseHead(try responseHead(), framing: .none, body: ByteBuffer(string: "ok"), into: &actions)
        machine.upstreamResponseEnd(reusable: true, now: now + .milliseconds(3), into: &actions)
        return actions
    }

    @Test("a request is sent upstream with the gateway's credentials; its response is relayed, counted and logged, and the connection reused")
    func forwardsOneRequest() throws {
        var machine = try Self.machine()
        var actions = Self.read(Self.request(["Authorization: Bearer client-secret"]), into: &machine)
        #expect(actions.labels == ["scheduleUpstreamTimer", "sendUpstream"])
        #expect(machine.state == .forwarding)
        #expect(machine.clientPhase == .answering)
        guard case .sendUpstream(let request, let method, let decodesChunks, let exchange) = actions.last else {
            Issue.record("no upstream request")
            return
        }
        let upstreamRequest = String(buffer: request)
        #expect(upstreamRequest.hasPrefix("POST /oauth/introspect HTTP/1.1\r\nHost: upstream.test:8080\r\n"))
        #expect(upstreamRequest.contains(TestCredentials.secret))
        #expect(!upstreamRequest.contains("client-secret"))
        #expect(method == "POST")
        #expect(!decodesChunks)
        #expect(actions.contains(.scheduleUpstreamTimer(Self.start + .seconds(5))))

        actions = try Self.answer(exchange, on: &machine)
        #expect(actions.labels == ["write:HTTP/1.1 200 OK", "releaseUpstream(true)", "recordUpstreamLatency", "flush", "recordRequest(/oauth/introspect,200)", "logAccess"])
        #expect(actions.contains(.recordUpstreamLatency(route: "/oauth/introspect", nanoseconds: 3_000_000)))
        #expect(machine.state == .awaitingHead)
        #expect(machine.exchange == nil)
        #expect(machine.clientPhase == .idle)
        #expect(machine.clientDeadline == Self.start + .milliseconds(3) + .seconds(60))
    }

    @Test("pipelined requests are answered in order: the second is sent upstream only once the first response ended, and reads wait meanwhile")
    func pipelining() throws {
        var machine = try Self.machine()
        var actions = Self.read(Self.request(["X-Step: 1"]) + Self.request(["X-Step: 2"]), into: &machine)
        #expect(actions.labels.filter { $0 == "sendUpstream" }.count == 1)
        guard case .sendUpstream(let first, _, _, let firstExchange) = actions.last else {
            Issue.record("no upstream request")
            return
        }
        #expect(String(buffer: first).contains("X-Step: 1"))
        // The second request's bytes wait: no read until the first is answered.
        do {
            let result = machine.readRequested()
            #expect(result == false)
        }
        #expect(machine.readHeld)
        actions = []
        machine.readComplete(into: &actions)
        #expect(actions.isEmpty)

        actions = try Self.answer(firstExchange, on: &machine)
        #expect(
            actions.labels == [
                "write:HTTP/1.1 200 OK", "releaseUpstream(true)", "recordUpstreamLatency", "flush", "recordRequest(/oauth/introspect,200)", "logAccess",
                "sendUpstream", "read",
            ])
        guard case .sendUpstream(let second, _, _, let secondExchange) = actions[6] else {
            Issue.record("no second upstream request")
            return
        }
        #expect(String(buffer: second).contains("X-Step: 2"))
        #expect(secondExchange == firstExchange + 1)
        #expect(!machine.readHeld)
        // Events about the first exchange no longer apply.
        do {
            let result = machine.upstreamConnected(exchange: firstExchange)
            #expect(result == false)
        }
    }

    @Test("an upstream that closes before its response head gets the client a 502; after the head, the client connection closes")
    func earlyUpstreamClose() throws {
        var machine = try Self.machine()
        var actions = Self.read(Self.request(), into: &machine)
        do {
            let result = machine.upstreamConnected(exchange: 1)
            #expect(result)
        }
        actions = []
        machine.upstreamFailed(.closedEarly, exchange: 1, now: Self.start, into: &actions)
        #expect(actions.labels == ["closeUpstream", "recordUpstreamFailure(unavailable)", "write:HTTP/1.1 502 Bad Gateway", "flush", "recordRequest(/oauth/introspect,502)", "logAccess"])
        #expect(machine.state == .awaitingHead)

        actions = Self.read(Self.request(), into: &machine)
        do {
            let result = machine.upstreamConnected(exchange: 2)
            #expect(result)
        }
        actions = []
        machine.upstreamResponseHead(try Self.responseHead("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n"), framing: .length(remaining: 10), body: nil, into: &actions)
        machine.upstreamResponseBody(ByteBuffer(string: "part"), into: &actions)
        machine.upstreamFailed(.closedEarly, exchange: 2, now: Self.start, into: &actions)
        #expect(
            actions.labels == [
                "write:HTTP/1.1 200 OK", "write:part", "closeUpstream", "recordUpstreamFailure(unavailable)", "flushAndClose",
                "recordRequest(/oauth/introspect,200)", "logAccess",
            ])
        #expect(machine.state == .closed)
        // Bytes after the close are not read.
        #expect(Self.read(Self.request(), into: &machine).isEmpty)
    }

    @Test("a malformed upstream response and an unreachable upstream are 502s; connect and response timeouts are 504s")
    func failureReasons() throws {
        for (failure, status, reason) in [
            (UpstreamFailure.malformedResponse, "502 Bad Gateway", "unavailable"), (.unreachable, "502 Bad Gateway", "unavailable"),
            (.connectionError, "502 Bad Gateway", "unavailable"), (.connectTimeout, "504 Gateway Timeout", "timeout"),
            (.responseTimeout, "504 Gateway Timeout", "timeout"),
        ] {
            var machine = try Self.machine()
            _ = Self.read(Self.request(), into: &machine)
            var actions: [ForwardingStateMachine.Action] = []
            machine.upstreamFailed(failure, exchange: 1, now: Self.start, into: &actions)
            #expect(actions.labels.contains("write:HTTP/1.1 \(status)"), "\(failure)")
            #expect(actions.labels.contains("recordUpstreamFailure(\(reason))"), "\(failure)")
            // A connection arriving after the failure goes back unused.
            do {
                let result = machine.upstreamConnected(exchange: 1)
                #expect(result == false)
            }
        }
    }

    @Test("the upstream timer answers 504 at the deadline; fired early (for an earlier request), it is scheduled again for the current one")
    func upstreamTimeout() throws {
        var machine = try Self.machine()
        _ = Self.read(Self.request(), into: &machine)
        _ = try Self.answer(1, on: &machine)
        // The second request starts 2 s later: its deadline is later than the timer set for the first.
        var actions = Self.read(Self.request(), into: &machine, at: Self.start + .seconds(2))
        #expect(!actions.labels.contains("scheduleUpstreamTimer"))
        do {
            let result = machine.upstreamConnected(exchange: 2)
            #expect(result)
        }
        actions = []
        machine.upstreamTimerFired(now: Self.start + .seconds(5), into: &actions)
        #expect(actions == [.scheduleUpstreamTimer(Self.start + .seconds(7))])
        actions = []
        machine.upstreamTimerFired(now: Self.start + .seconds(7), into: &actions)
        #expect(actions.labels.prefix(3) == ["closeUpstream", "recordUpstreamFailure(timeout)", "write:HTTP/1.1 504 Gateway Timeout"])
        #expect(machine.state == .awaitingHead)
    }

    @Test("client deadlines: a partial head gets 408 and a lingering close; an idle keep-alive connection is closed without an answer; a trickled body keeps its deadline")
    func clientTimeouts() throws {
        var machine = try Self.machine()
        var actions: [ForwardingStateMachine.Action] = []
        _ = Self.read("POST /oauth/introspect HTTP/1.1\r\nHost: g", into: &machine, at: Self.start + .seconds(1))
        #expect(machine.clientDeadline == Self.start + .seconds(10))
        actions = []
        machine.clientTimerFired(now: Self.start + .seconds(10), into: &actions)
        #expect(
            actions.labels == [
                "recordClientTimeout(head)", "write:HTTP/1.1 408 Request Timeout", "closeOutputAndLinger(until: \((Self.start + .seconds(12)).uptimeNanoseconds))",
                "recordRequest(unmatched,408)",
            ])
        #expect(machine.state == .lingering)

        machine = try Self.machine()
        _ = Self.read(Self.request(), into: &machine)
        _ = try Self.answer(1, on: &machine)
        #expect(machine.clientPhase == .idle)
        actions = []
        machine.clientTimerFired(now: Self.start + .seconds(61), into: &actions)
        #expect(actions.labels == ["recordClientTimeout(idle)", "close"])

        machine = try Self.machine()
        let head = Self.request(body: "")
        let partial = head.replacingOccurrences(of: "Content-Length: 0", with: "Content-Length: 20")
        _ = Self.read(partial, into: &machine)
        #expect(machine.clientPhase == .body)
        _ = Self.read("{\"a\":", into: &machine, at: Self.start + .seconds(20))
        #expect(machine.clientDeadline == Self.start + .seconds(30))
        actions = []
        machine.clientTimerFired(now: Self.start + .seconds(30), into: &actions)
        #expect(Array(actions.prefix(2)).labels == ["recordClientTimeout(body)", "write:HTTP/1.1 408 Request Timeout"])
        #expect(actions[2] == .closeOutputAndLinger(until: Self.start + .seconds(32)))
        #expect(machine.state == .lingering)
    }

    @Test("Expect: 100-continue gets an interim 100 before the body is read, then the request goes upstream")
    func expectContinue() throws {
        var machine = try Self.machine()
        let full = Self.request(["Expect: 100-continue"])
        let headEnd = full.range(of: "\r\n\r\n")!.upperBound
        var actions = Self.read(String(full[..<headEnd]), into: &machine)
        #expect(actions.labels == ["write:HTTP/1.1 100 Continue", "flush"])
        #expect(machine.state == .collecting)
        actions = Self.read(String(full[headEnd...]), into: &machine)
        #expect(actions.labels == ["scheduleUpstreamTimer", "sendUpstream"])
    }

    @Test("a request abandoned by its client closes its upstream connection; the upstream's later events and a late connection change nothing")
    func abandonedRequest() throws {
        var machine = try Self.machine()
        _ = Self.read(Self.request(), into: &machine)
        do {
            let result = machine.upstreamConnected(exchange: 1)
            #expect(result)
        }
        var actions: [ForwardingStateMachine.Action] = []
        machine.channelInactive(into: &actions)
        #expect(actions.labels == ["cancelTimers", "closeUpstream"])
        #expect(machine.state == .closed)
        actions = []
        machine.upstreamResponseHead(try Self.responseHead(), framing: .none, body: nil, into: &actions)
        machine.upstreamResponseEnd(reusable: true, now: Self.start, into: &actions)
        machine.upstreamFailed(.closedEarly, exchange: 1, now: Self.start, into: &actions)
        machine.upstreamTimerFired(now: Self.start + .seconds(10), into: &actions)
        #expect(actions.isEmpty)

        // Abandoned while still connecting: no connection to close, and the late one is not used.
        machine = try Self.machine()
        _ = Self.read(Self.request(), into: &machine)
        actions = []
        machine.channelInactive(into: &actions)
        #expect(actions.labels == ["cancelTimers"])
        do {
            let result = machine.upstreamConnected(exchange: 1)
            #expect(result == false)
        }
    }

    @Test("operations requests go to the router as bytes; a forwarded request pipelined behind one waits for the router's answer")
    func routerRequests() throws {
        var machine = try Self.machine()
        var actions = Self.read("GET /healthz HTTP/1.1\r\nHost: g\r\n\r\n" + Self.request(), into: &machine)
        #expect(actions.labels == ["passToRouter:GET /healthz HTTP/1.1", "endRouterReadBurst"])
        #expect(machine.state == .awaitingRouter)
        actions = []
        machine.routerResponseEnded(now: Self.start, into: &actions)
        #expect(actions.labels == ["scheduleUpstreamTimer", "sendUpstream"])
    }

    @Test("refusals are answered by the machine: a path off the list is 404, a malformed head is 400 and closes the connection")
    func refusals() throws {
        var machine = try Self.machine()
        var actions = Self.read(Self.request(path: "/not/listed"), into: &machine)
        #expect(actions.labels == ["write:HTTP/1.1 404 Not Found", "flush", "recordRequest(unmatched,404)", "logAccess"])
        #expect(machine.state == .awaitingHead)
        actions = Self.read("GARBAGE\r\n\r\n", into: &machine)
        #expect(actions.labels == ["write:HTTP/1.1 400 Bad Request", "closeOutputAndLinger(until: \((Self.start + .seconds(2)).uptimeNanoseconds))", "recordRequest(unmatched,400)"])
        #expect(machine.state == .lingering)
    }

    @Test("a refused request's body is read and dropped, keeping the connection; a chunked one over the body limit closes it")
    func refusedBodies() throws {
        var machine = try Self.machine()
        let notListed = Self.request(path: "/not/listed")
        let headEnd = notListed.range(of: "\r\n\r\n")!.upperBound
        var actions = Self.read(String(notListed[..<headEnd]), into: &machine)
        #expect(actions.labels == ["write:HTTP/1.1 404 Not Found", "flush"])
        #expect(machine.state == .discarding)
        #expect(machine.clientPhase == .body)
        actions = Self.read(String(notListed[headEnd...]), into: &machine)
        #expect(actions.labels == ["recordRequest(unmatched,404)", "logAccess"])
        #expect(machine.state == .awaitingHead)

        let chunk = String(repeating: "a", count: 0x8000)
        let oversized = "POST /not/listed HTTP/1.1\r\nHost: g\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            + String(repeating: "8000\r\n\(chunk)\r\n", count: 3)
        actions = Self.read(oversized, into: &machine)
        #expect(actions.labels == ["write:HTTP/1.1 404 Not Found", "flush", "closeOutputAndLinger(until: \((Self.start + .seconds(2)).uptimeNanoseconds))", "recordRequest(unmatched,404)", "logAccess"])
        #expect(machine.state == .lingering)
    }

    @Test("an operations request's body is passed to the router with its framing; the router's answer ending first lets the next request in once the body is through")
    func routerBody() throws {
        var machine = try Self.machine()
        var actions = Self.read("POST /healthz HTTP/1.1\r\nHost: g\r\nContent-Length: 4\r\n\r\nab", into: &machine)
        #expect(actions.labels == ["passToRouter:POST /healthz HTTP/1.1", "passToRouter:ab", "endRouterReadBurst"])
        #expect(machine.state == .toRouter)
        actions = []
        machine.readComplete(into: &actions)
        #expect(actions == [.readFromTail])
        actions = []
        machine.routerResponseEnded(now: Self.start, into: &actions)
        #expect(actions.isEmpty)
        actions = Self.read("cd" + Self.request(), into: &machine)
        #expect(actions.labels.prefix(2) == ["passToRouter:cd", "scheduleUpstreamTimer"])
        #expect(machine.state == .forwarding)
    }

    @Test("a graceful shutdown waits for the request in flight, then is passed on")
    func quiesce() throws {
        var machine = try Self.machine()
        do {
            let result = machine.quiesceRequested()
            #expect(result == false)
        }
        _ = Self.read(Self.request(), into: &machine)
        do {
            let result = machine.quiesceRequested()
            #expect(result)
        }
        let actions = try Self.answer(1, on: &machine)
        #expect(actions.labels.last == "forwardQuiesce")
        #expect(machine.state == .closed)
    }

    // MARK: Lingering close

    @Test("a late head with bytes read is answered 408, the output closed and the connection lingers: reads go on, their bytes dropped, and the linger's end closes it")
    func lateHeadLingers() throws {
        var machine = try Self.machine()
        _ = Self.read("POST /oauth/introspect HTTP/1.1\r\nHost: g", into: &machine, at: Self.start + .seconds(1))
        var actions: [ForwardingStateMachine.Action] = []
        machine.clientTimerFired(now: Self.start + .seconds(10), into: &actions)
        let lingerEnd = Self.start + .seconds(10) + ForwardingStateMachine.lingerTime
        #expect(actions[1].label == "write:HTTP/1.1 408 Request Timeout")
        #expect(actions[2] == .closeOutputAndLinger(until: lingerEnd))
        #expect(machine.state == .lingering)
        #expect(machine.clientPhase == .lingering)
        #expect(machine.clientDeadline == lingerEnd)

        // What the client sends meanwhile — a complete request included — is dropped, and reads go on.
        #expect(Self.read("X-More: 1\r\n\r\n" + Self.request(), into: &machine, at: Self.start + .seconds(11)).isEmpty)
        actions = []
        machine.readComplete(into: &actions)
        #expect(actions == [.read])
        do {
            let result = machine.readRequested()
            #expect(result)
        }
        // Trickling does not extend the linger.
        #expect(Self.read("x", into: &machine, at: lingerEnd - .milliseconds(1)).isEmpty)
        #expect(machine.clientDeadline == lingerEnd)

        // Fired early (by a timer set for an earlier deadline), the timer is set again for the linger's end.
        actions = []
        machine.clientTimerFired(now: Self.start + .seconds(11), into: &actions)
        #expect(actions == [.scheduleClientTimer(lingerEnd)])
        actions = []
        machine.clientTimerFired(now: lingerEnd, into: &actions)
        #expect(actions == [.close])
        #expect(machine.state == .closed)
        #expect(machine.clientDeadline == .distantFuture)
        #expect(Self.read("late", into: &machine, at: lingerEnd + .seconds(1)).isEmpty)
    }

    @Test("the client closing its side ends a linger at once")
    func clientCloseEndsLinger() throws {
        var machine = try Self.machine()
        var actions: [ForwardingStateMachine.Action] = []
        _ = Self.read("GARBAGE\r\n\r\n", into: &machine)
        #expect(machine.state == .lingering)
        do {
            let taken = machine.inputClosed(now: Self.start, into: &actions)
            #expect(taken)
        }
        #expect(actions == [.close])
        #expect(machine.state == .closed)
        // The linger's timer, firing later, changes nothing.
        actions = []
        machine.clientTimerFired(now: Self.start + .seconds(2), into: &actions)
        #expect(actions.isEmpty)
    }

    /// Closes the client's side of `machine`'s connection; `taken` is whether the machine kept
    /// the event from the handlers behind.
    static func closeInput(of machine: inout ForwardingStateMachine, at now: NIODeadline = start) -> (taken: Bool, actions: [ForwardingStateMachine.Action]) {
        var actions: [ForwardingStateMachine.Action] = []
        let taken = machine.inputClosed(now: now, into: &actions)
        return (taken, actions)
    }

    @Test("a client that closes its side between requests, or in the middle of a head, is closed once what was written goes out")
    func halfCloseWithNothingToAnswer() throws {
        var machine = try Self.machine()
        var closed = Self.closeInput(of: &machine)
        #expect(closed.taken)
        #expect(closed.actions == [.flushAndClose])
        #expect(machine.state == .closed)
        #expect(machine.clientDeadline == .distantFuture)

        machine = try Self.machine()
        #expect(Self.read("POST /oauth/introspect HTTP/1.1\r\nHost: g", into: &machine).isEmpty)
        closed = Self.closeInput(of: &machine)
        #expect(closed.taken)
        #expect(closed.actions == [.flushAndClose])
        #expect(machine.state == .closed)
    }

    @Test("a client that closes its side after its request still gets the upstream's answer, and the answers of requests pipelined behind it, then the connection closes")
    func halfCloseAfterRequests() throws {
        var machine = try Self.machine()
        var actions = Self.read(Self.request(["X-Step: 1"]) + Self.request(["X-Step: 2"]), into: &machine)
        guard case .sendUpstream(_, _, _, let first) = actions.last else {
            Issue.record("no upstream request")
            return
        }
        let closed = Self.closeInput(of: &machine)
        #expect(closed.taken)
        #expect(!closed.actions.contains(.close) && !closed.actions.contains(.flushAndClose))
        #expect(machine.state == .forwarding)
        #expect(machine.inputEnded)

        actions = try Self.answer(first, on: &machine)
        #expect(
            actions.labels == [
                "write:HTTP/1.1 200 OK", "releaseUpstream(true)", "recordUpstreamLatency", "flush", "recordRequest(/oauth/introspect,200)", "logAccess",
                "sendUpstream",
            ])
        guard case .sendUpstream(let second, _, _, let secondExchange) = actions[6] else {
            Issue.record("no second upstream request")
            return
        }
        #expect(String(buffer: second).contains("X-Step: 2"))

        actions = try Self.answer(secondExchange, on: &machine)
        #expect(
            actions.labels == [
                "write:HTTP/1.1 200 OK", "releaseUpstream(true)", "recordUpstreamLatency", "flush", "recordRequest(/oauth/introspect,200)", "logAccess",
                "flushAndClose",
            ])
        #expect(machine.state == .closed)
    }

    @Test("a client that closes its side before its body is complete gets a 400 and the connection closes without lingering; a refused request's body stops being read")
    func halfCloseCutsBody() throws {
        var machine = try Self.machine()
        let request = Self.request()
        #expect(Self.read(String(request.dropLast(3)), into: &machine).isEmpty)
        #expect(machine.state == .collecting)
        var closed = Self.closeInput(of: &machine)
        #expect(closed.taken)
        #expect(closed.actions.labels == ["write:HTTP/1.1 400 Bad Request", "flushAndClose", "recordRequest(/oauth/introspect,400)", "logAccess"])
        guard case .write(let answer) = closed.actions.first else { return }
        #expect(String(buffer: answer).contains("\"invalid_request\""))
        #expect(String(buffer: answer).lowercased().contains("connection: close"))
        #expect(machine.state == .closed)

        // Refused (404) and its body being dropped: the connection closes once the answer is out.
        machine = try Self.machine()
        let refused = Self.request(body: String(repeating: "a", count: 100), path: "/not/listed")
        var actions = Self.read(String(refused.dropLast(10)), into: &machine)
        #expect(actions.labels.first == "write:HTTP/1.1 404 Not Found")
        #expect(machine.state == .discarding)
        closed = Self.closeInput(of: &machine)
        #expect(closed.taken)
        #expect(closed.actions.labels == ["flushAndClose", "recordRequest(unmatched,404)", "logAccess"])
        #expect(machine.state == .closed)
        actions = Self.read("late", into: &machine)
        #expect(actions.isEmpty)
    }

    @Test("the end of the input during a request for the router is the router's; once it has answered, the connection closes")
    func halfCloseDuringRouterRequest() throws {
        var machine = try Self.machine()
        _ = Self.read("GET /healthz HTTP/1.1\r\nHost: g\r\n\r\n", into: &machine)
        #expect(machine.state == .awaitingRouter)
        let closed = Self.closeInput(of: &machine)
        #expect(closed.taken == false)
        #expect(closed.actions.isEmpty)
        var actions: [ForwardingStateMachine.Action] = []
        machine.routerResponseEnded(now: Self.start, into: &actions)
        #expect(actions == [.flushAndClose])
        #expect(machine.state == .closed)
    }

    @Test("a 413 for a declared body over the limit lingers, the linger's end replacing the body deadline; a graceful shutdown waits for it")
    func oversizedBodyLingers() throws {
        var machine = try Self.machine { $0.maximumBodySize = 1024 }
        let head = Self.request(body: "").replacingOccurrences(of: "Content-Length: 0", with: "Content-Length: 10000000")
        let actions = Self.read(head + String(repeating: "a", count: 4096), into: &machine)
        #expect(
            actions.labels == [
                "write:HTTP/1.1 413 Content Too Large", "closeOutputAndLinger(until: \((Self.start + .seconds(2)).uptimeNanoseconds))",
                "recordRequest(/oauth/introspect,413)", "logAccess",
            ])
        #expect(machine.state == .lingering)
        #expect(machine.exchange == nil)
        // The machine's client timer was armed for the head deadline (10 s): the linger's end is earlier, and replaces it.
        #expect(machine.clientDeadline == Self.start + .seconds(2))
        do {
            let held = machine.quiesceRequested()
            #expect(held)
        }
    }

    @Test("a refusal on a `Connection: close` request with a body lingers; a `Connection: close` request read to its end closes once answered")
    func connectionCloseRefusalLingers() throws {
        var machine = try Self.machine()
        let notListed = Self.request(["Connection: close"], path: "/not/listed")
        let headEnd = notListed.range(of: "\r\n\r\n")!.upperBound
        var actions = Self.read(String(notListed[..<headEnd]), into: &machine)
        #expect(actions.labels == ["write:HTTP/1.1 404 Not Found", "closeOutputAndLinger(until: \((Self.start + .seconds(2)).uptimeNanoseconds))", "recordRequest(unmatched,404)", "logAccess"])
        #expect(machine.state == .lingering)

        machine = try Self.machine()
        _ = Self.read(Self.request(["Connection: close"]), into: &machine)
        actions = try Self.answer(1, on: &machine)
        #expect(actions.labels == ["write:HTTP/1.1 200 OK", "releaseUpstream(true)", "recordUpstreamLatency", "flushAndClose", "recordRequest(/oauth/introspect,200)", "logAccess"])
        #expect(machine.state == .closed)
    }

    @Test("a `Connection: close` request with requests pipelined behind it lingers once answered, and reads the held bytes to drop them")
    func pipelinedBehindCloseLingers() throws {
        var machine = try Self.machine()
        _ = Self.read(Self.request(["Connection: close"]) + Self.request(), into: &machine)
        do {
            let result = machine.readRequested()
            #expect(result == false)
        }
        let actions = try Self.answer(1, on: &machine)
        let lingerEnd = Self.start + .milliseconds(3) + ForwardingStateMachine.lingerTime
        #expect(
            actions.labels == [
                "write:HTTP/1.1 200 OK", "releaseUpstream(true)", "recordUpstreamLatency", "closeOutputAndLinger(until: \(lingerEnd.uptimeNanoseconds))", "read",
                "recordRequest(/oauth/introspect,200)", "logAccess",
            ])
        #expect(machine.state == .lingering)
        #expect(!machine.readHeld)
        #expect(!actions.labels.contains("sendUpstream"))
    }
}

extension ForwardingStateMachine.Action {
    /// The action's short name, as in ``Swift/Array/labels``.
    var label: String { [self].labels[0] }
}

extension [ForwardingStateMachine.Action] {
    /// Short names of the actions: a write by its first line, the rest by case and key values.
    var labels: [String] {
        map { action in
            switch action {
            case .write(let bytes): "write:" + firstLine(bytes)
            case .passToRouter(let bytes): "passToRouter:" + firstLine(bytes)
            case .sendUpstream: "sendUpstream"
            case .releaseUpstream(let reusable): "releaseUpstream(\(reusable))"
            case .scheduleUpstreamTimer: "scheduleUpstreamTimer"
            case .scheduleClientTimer: "scheduleClientTimer"
            case .recordRequest(let route, let status): "recordRequest(\(route),\(status))"
            case .recordUpstreamLatency: "recordUpstreamLatency"
            case .recordUpstreamFailure(let failure): "recordUpstreamFailure(\(failure.metricsReason))"
            case .recordClientTimeout(let phase): "recordClientTimeout(\(phase.rawValue))"
            case .logAccess: "logAccess"
            case .closeOutputAndLinger(let deadline): "closeOutputAndLinger(until: \(deadline.uptimeNanoseconds))"
            default: "\(action)"
            }
        }
    }

    private func firstLine(_ bytes: ByteBuffer) -> String {
        String(String(buffer: bytes).split(separator: "\r\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
    }
}
