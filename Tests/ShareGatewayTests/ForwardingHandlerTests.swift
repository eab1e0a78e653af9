import Logging
import NIOCore
import NIOEmbedded
import Testing

@testable import ShareGateway

/// ``ForwardingHandler`` on `EmbeddedChannel`s: a client channel in front of it, an upstream
/// channel (an ``UpstreamConnection``) in its loop's pool, and the embedded loop's clock for the
/// timers — no sockets, no sleeps.
@Suite("Forwarding handler (embedded)")
struct ForwardingHandlerTests {
    static func request(_ extraHeaders: [String] = []) -> String {
        ForwardingStateMachineTests.request(extraHeaders)
    }
    static let ok = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"

    /// A client connection to a gateway whose upstream pool holds one idle upstream connection.
    final class Harness {
        let loop = EmbeddedEventLoop()
        let metrics = GatewayMetrics()
        let forwarder: GatewayForwarder
        let client: EmbeddedChannel
        let upstream: EmbeddedChannel

        init(upstreamTimeout: Duration = .seconds(5), limits: ClientConnectionLimits = .init()) throws {
            let configuration = testConfiguration()
            let target = try UpstreamTarget(baseURL: "http://upstream.test:8080")
            let policy = ForwardingPolicy(
                configuration: configuration, upstream: target, credentials: TestCredentials.upstream,
                audiencePolicy: try AudiencePolicy(allowing: [], registry: makePartnerRegistry()),
                rateLimiter: TokenBucketRateLimiter(configuration: configuration.rateLimit))
            forwarder = GatewayForwarder(
                policy: policy, pools: try UpstreamPools(target: target), metrics: metrics, upstreamTimeout: upstreamTimeout, limits: limits,
                accessLogger: nil)
            let connection = UpstreamConnection()
            upstream = EmbeddedChannel(handler: connection, loop: loop)
            try upstream.connect(to: SocketAddress(ipAddress: "192.0.2.10", port: 8080)).wait()
            forwarder.pools.pool(for: loop).release(connection, reusable: true)
            client = EmbeddedChannel(handler: forwarder.makeHandler(), loop: loop)
            try client.connect(to: SocketAddress(ipAddress: "192.0.2.1", port: 40000)).wait()
        }

        func send(_ text: String) throws {
            try client.writeInbound(ByteBuffer(string: text))
        }

        /// Everything the gateway wrote to the client so far.
        func clientReceived() throws -> String {
            var text = ""
            while let data = try client.readOutbound(as: IOData.self) {
                if case .byteBuffer(let buffer) = data { text += String(buffer: buffer) }
            }
            return text
        }

        /// Everything the gateway wrote to the upstream so far.
        func upstreamReceived() throws -> String {
            var text = ""
            while let buffer = try upstream.readOutbound(as: ByteBuffer.self) { text += String(buffer: buffer) }
            return text
        }

        func upstreamAnswers(_ text: String) throws {
            try upstream.writeInbound(ByteBuffer(string: text))
        }

        /// The connections counted for the client's share: the embedded channel has no address
        /// yet as the handler is added, so the client is counted as `local`.
        var openConnections: Int {
            forwarder.clientConnections.count(client: "local")
        }

        func failures(_ reason: String) -> String? {
            String(decoding: metrics.render(), as: UTF8.self).split(separator: "\n")
                .first { $0.hasPrefix("gateway_upstream_failures_total") && $0.contains("\"\(reason)\"") }.map(String.init)
        }
    }

    @Test("pipelined requests reach the upstream one at a time, on the same pooled connection, and their answers come back in order")
    func pipelining() throws {
        let harness = try Harness()
        try harness.send(Self.request(["X-Step: 1"]) + Self.request(["X-Step: 2"]))
        let first = try harness.upstreamReceived()
        #expect(first.contains("X-Step: 1"))
        #expect(!first.contains("X-Step: 2"))
        #expect(first.contains(TestCredentials.secret))
        try harness.upstreamAnswers(Self.ok + "first")
        let second = try harness.upstreamReceived()
        #expect(second.contains("X-Step: 2"))
        try harness.upstreamAnswers(Self.ok + "again")
        let received = try harness.clientReceived()
        let firstAt = try #require(received.range(of: "first"))
        let againAt = try #require(received.range(of: "again"))
        #expect(firstAt.lowerBound < againAt.lowerBound)
        #expect(received.components(separatedBy: "HTTP/1.1 200 OK").count == 3)
        #expect(harness.client.isActive)
        #expect(harness.upstream.isActive)
    }

    @Test("a client that closes its side after pipelining two requests gets both answers in order, then the connection closes and its upstream connection stays pooled")
    func halfClosingClientIsAnswered() throws {
        let harness = try Harness()
        try harness.send(Self.request(["X-Step: 1"]) + Self.request(["X-Step: 2"]))
        harness.client.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        #expect(harness.client.isActive)
        #expect(try harness.upstreamReceived().contains("X-Step: 1"))
        try harness.upstreamAnswers(Self.ok + "first")
        #expect(harness.client.isActive)
        #expect(try harness.upstreamReceived().contains("X-Step: 2"))
        try harness.upstreamAnswers(Self.ok + "again")
        let received = try harness.clientReceived()
        let firstAt = try #require(received.range(of: "first"))
        let againAt = try #require(received.range(of: "again"))
        #expect(firstAt.lowerBound < againAt.lowerBound)
        #expect(!harness.client.isActive)
        #expect(harness.openConnections == 0)
        #expect(harness.upstream.isActive)
    }

    @Test("an upstream that closes before answering gets the client a 502; one that closes mid-body closes the client connection")
    func earlyUpstreamClose() throws {
        let harness = try Harness()
        try harness.send(Self.request())
        _ = try harness.upstreamReceived()
        try harness.upstream.close().wait()
        let received = try harness.clientReceived()
        #expect(received.hasPrefix("HTTP/1.1 502 Bad Gateway"))
        #expect(received.contains("upstream_unavailable"))
        #expect(harness.client.isActive)
        #expect(harness.failures("unavailable")?.hasSuffix(" 1") == true)

        let midBody = try Harness()
        try midBody.send(Self.request())
        try midBody.upstreamAnswers("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\npart")
        try midBody.upstream.close().wait()
        let partial = try midBody.clientReceived()
        #expect(partial.hasPrefix("HTTP/1.1 200 OK"))
        #expect(partial.hasSuffix("part"))
        #expect(!midBody.client.isActive)
    }

    @Test("the upstream timeout answers 504 and closes the upstream connection, by the loop's clock")
    func upstreamTimeout() throws {
        let harness = try Harness(upstreamTimeout: .seconds(5))
        try harness.send(Self.request())
        _ = try harness.upstreamReceived()
        harness.loop.advanceTime(by: .seconds(4))
        #expect(try harness.clientReceived().isEmpty)
        harness.loop.advanceTime(by: .seconds(1))
        #expect(try harness.clientReceived().hasPrefix("HTTP/1.1 504 Gateway Timeout"))
        #expect(!harness.upstream.isActive)
        #expect(harness.client.isActive)
        #expect(harness.failures("timeout")?.hasSuffix(" 1") == true)
    }

    @Test("a client that does not finish its head in time gets 408 and is disconnected; an idle keep-alive connection is closed")
    func clientTimeouts() throws {
        var limits = ClientConnectionLimits()
        limits.headTimeout = .seconds(2)
        limits.idleTimeout = .seconds(3)
        let slow = try Harness(limits: limits)
        try slow.send("POST /oauth/introspect HTTP/1.1\r\nHo")
        slow.loop.advanceTime(by: .seconds(2))
        #expect(try slow.clientReceived().hasPrefix("HTTP/1.1 408 Request Timeout"))
        #expect(!slow.client.isActive)

        let idle = try Harness(limits: limits)
        try idle.send(Self.request())
        try idle.upstreamAnswers(Self.ok + "hello")
        #expect(try idle.clientReceived().hasPrefix("HTTP/1.1 200 OK"))
        idle.loop.advanceTime(by: .seconds(2))
        #expect(idle.client.isActive)
        idle.loop.advanceTime(by: .seconds(1))
        #expect(!idle.client.isActive)
        #expect(try idle.clientReceived().isEmpty)
    }

    @Test("Expect: 100-continue is answered 100 before the body arrives; the request goes upstream once it has")
    func expectContinue() throws {
        let harness = try Harness()
        let full = Self.request(["Expect: 100-continue"])
        let headEnd = full.range(of: "\r\n\r\n")!.upperBound
        try harness.send(String(full[..<headEnd]))
        #expect(try harness.clientReceived() == "HTTP/1.1 100 Continue\r\n\r\n")
        #expect(try harness.upstreamReceived().isEmpty)
        try harness.send(String(full[headEnd...]))
        let sent = try harness.upstreamReceived()
        #expect(sent.hasSuffix(ForwardingStateMachineTests.body))
        #expect(!sent.lowercased().contains("expect:"))
    }

    @Test("a request abandoned by its client closes its upstream connection, which is not returned to the pool")
    func abandonedRequest() throws {
        let harness = try Harness()
        try harness.send(Self.request())
        _ = try harness.upstreamReceived()
        try harness.client.close().wait()
        #expect(!harness.upstream.isActive)
        #expect(harness.forwarder.pools.pool(for: harness.loop).takeIdle() == nil)
    }

    @Test("with no upstream connection to be had, the client gets a 502")
    func unavailableUpstream() throws {
        let harness = try Harness()
        let pool = harness.forwarder.pools.pool(for: harness.loop)
        _ = pool.takeIdle()
        pool.shutdown()
        try harness.send(Self.request())
        #expect(try harness.clientReceived().hasPrefix("HTTP/1.1 502 Bad Gateway"))
        #expect(harness.client.isActive)
    }

    @Test("an operations request is passed on as bytes; a request pipelined behind it waits for the router's answer")
    func routerThenForwarded() throws {
        let harness = try Harness()
        try harness.send("GET /healthz HTTP/1.1\r\nHost: g\r\n\r\n" + Self.request())
        let passed = try #require(try harness.client.readInbound(as: ByteBuffer.self))
        #expect(String(buffer: passed).hasPrefix("GET /healthz HTTP/1.1"))
        #expect(try harness.upstreamReceived().isEmpty)
        let handler = try harness.client.pipeline.syncOperations.handler(type: ForwardingHandler.self)
        handler.routerResponseEnded()
        #expect(try harness.upstreamReceived().hasPrefix("POST /oauth/introspect"))
    }

    /// In front of the handler: records a close of the output instead of passing it on, since an
    /// `EmbeddedChannel` closes completely on any close, and counts the reads asked for.
    final class HalfCloseRecorder: ChannelOutboundHandler {
        typealias OutboundIn = IOData
        private(set) var outputClosed = false
        private(set) var reads = 0

        func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
            guard mode == .output else { return context.close(mode: mode, promise: promise) }
            outputClosed = true
            promise?.succeed(())
        }

        func read(context: ChannelHandlerContext) {
            reads += 1
            context.read()
        }
    }

    /// A harness whose client is lingering after a late head's 408.
    static func lingeringAfterLateHead() throws -> (Harness, HalfCloseRecorder) {
        var limits = ClientConnectionLimits()
        limits.headTimeout = .seconds(2)
        let harness = try Harness(limits: limits)
        let recorder = HalfCloseRecorder()
        try harness.client.pipeline.syncOperations.addHandler(recorder, position: .first)
        try harness.send("POST /oauth/introspect HTTP/1.1\r\nHo")
        harness.loop.advanceTime(by: .seconds(2))
        let received = try harness.clientReceived()
        #expect(received.hasPrefix("HTTP/1.1 408 Request Timeout"))
        #expect(received.contains("request_timeout"))
        return (harness, recorder)
    }

    @Test("after a late head's 408 the output closes, not the connection: what the client sends is read and dropped, the connection stays counted, and it closes when the linger ends")
    func lateHeadLingers() throws {
        let (harness, recorder) = try Self.lingeringAfterLateHead()
        #expect(recorder.outputClosed)
        #expect(harness.client.isActive)
        #expect(harness.openConnections == 1)

        let readsBefore = recorder.reads
        try harness.send("st: g\r\n\r\n" + Self.request())
        #expect(recorder.reads > readsBefore)
        #expect(try harness.clientReceived().isEmpty)
        #expect(try harness.upstreamReceived().isEmpty)
        #expect(try harness.client.readInbound(as: ByteBuffer.self) == nil)

        harness.loop.advanceTime(by: ForwardingStateMachine.lingerTime - .milliseconds(1))
        #expect(harness.client.isActive)
        #expect(harness.openConnections == 1)
        harness.loop.advanceTime(by: .milliseconds(1))
        #expect(!harness.client.isActive)
        #expect(harness.openConnections == 0)
    }

    @Test("the client closing its side ends the linger at once")
    func clientCloseEndsLinger() throws {
        let (harness, _) = try Self.lingeringAfterLateHead()
        #expect(harness.client.isActive)
        harness.client.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        #expect(!harness.client.isActive)
        #expect(harness.openConnections == 0)
    }
}
