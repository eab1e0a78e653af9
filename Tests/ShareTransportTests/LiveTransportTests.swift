import HTTPTypes
import Hummingbird
import ShareTestSupport
import ShareTransport
import ShareTransportAHC
import ShareTransportNIO
import Testing

/// A request context that knows the client's port, so that a test can tell connections apart.
struct PeerContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The client's port of the connection the request came on.
    let peerPort: Int

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peerPort = source.channel.remoteAddress?.port ?? 0
    }
}

extension HTTPField.Name {
    static let peerPort = Self("X-Peer-Port")!
    static let seenID = Self("X-Seen-Id")!
    static let seenMethod = Self("X-Seen-Method")!
}

/// The behaviours every transport owes: run against AsyncHTTPClient's and the NIO one.
@Suite("Transports against a live server")
struct LiveTransportTests {
    static func router() -> Router<PeerContext> {
        let router = Router(context: PeerContext.self)
        router.post("/echo") { request, context -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            var headers = HTTPFields()
            headers[.contentType] = "application/octet-stream"
            headers[.seenID] = request.headers[.requestID] ?? "none"
            headers[.seenMethod] = request.method.rawValue
            headers[.peerPort] = String(context.peerPort)
            return Response(status: .created, headers: headers, body: .init(byteBuffer: body))
        }
        router.get("/peer") { _, context -> Response in
            Response(status: .ok, headers: [.peerPort: String(context.peerPort)])
        }
        router.get("/close") { _, context -> Response in
            Response(status: .ok, headers: [.peerPort: String(context.peerPort), .connection: "close"])
        }
        // Far longer than any limit the tests set, so that a cut-off request is told from a
        // waited-out one even on a loaded machine; stopping the server cancels the wait.
        router.get("/slow") { _, _ -> Response in
            try await Task.sleep(for: .seconds(30))
            return Response(status: .ok)
        }
        router.get("/busy") { _, _ -> Response in
            Response(status: .serviceUnavailable, headers: [.retryAfter: "0"])
        }
        return router
    }

    static func request(_ method: HTTPRequest.Method = .get, port: Int, _ path: String) -> HTTPRequest {
        HTTPRequest(method: method, scheme: "http", authority: "127.0.0.1:\(port)", path: path)
    }

    /// The client port of the connection that carried a `GET path`.
    static func peer(_ transport: some HTTPTransport, port: Int, _ path: String = "/peer") async throws -> String {
        let (response, _) = try await transport.send(request(port: port, path), body: nil)
        return try #require(response.headerFields[.peerPort])
    }

    static func withServer<Value: Sendable>(_ body: @Sendable (_ port: Int) async throws -> Value) async throws -> Value {
        try await withLiveServer(context: PeerContext.self, router(), body)
    }

    @Test("sends method, headers and body, and returns status, headers and body", arguments: TransportUnderTest.allCases)
    func roundTrip(_ kind: TransportUnderTest) async throws {
        try await Self.withServer { port in
            try await kind.withTransport { transport in
                var request = Self.request(.post, port: port, "/echo")
                request.headerFields[.requestID] = "abc"
                for index in 0..<5 {
                    let (response, body) = try await transport.send(request, body: HTTPBody("payload \(index)"))
                    #expect(response.status.code == 201)
                    #expect(response.headerFields[.seenID] == "abc")
                    #expect(response.headerFields[.seenMethod] == "POST")
                    #expect(response.headerFields[.contentType] == "application/octet-stream")
                    #expect(try await body?.collect(upTo: 100) == Array("payload \(index)".utf8))
                }
                let (response, body) = try await transport.send(request, body: nil)
                #expect(response.status.code == 201)
                #expect(try await body?.collect(upTo: 100) ?? [] == [])
            }
        }
    }

    @Test("requests one after another share one keep-alive connection", arguments: TransportUnderTest.allCases)
    func keepAlive(_ kind: TransportUnderTest) async throws {
        try await Self.withServer { port in
            try await kind.withTransport { transport in
                var peers: Set<String> = []
                for _ in 0..<10 { peers.insert(try await Self.peer(transport, port: port)) }
                #expect(peers.count == 1)
            }
        }
    }

    @Test("a connection idle for longer than the idle timeout is closed, not reused", arguments: TransportUnderTest.allCases)
    func idleTimeout(_ kind: TransportUnderTest) async throws {
        try await Self.withServer { port in
            try await kind.withTransport(.init(idleTimeout: .milliseconds(200))) { transport in
                let first = try await Self.peer(transport, port: port)
                // Five times the idle timeout, so that a late timer on a loaded machine still fires.
                try await Task.sleep(for: .seconds(1))
                #expect(try await Self.peer(transport, port: port) != first)
            }
        }
    }

    @Test("a connection answered with Connection: close is not reused", arguments: TransportUnderTest.allCases)
    func connectionClose(_ kind: TransportUnderTest) async throws {
        try await Self.withServer { port in
            try await kind.withTransport { transport in
                var peers: Set<String> = []
                for _ in 0..<3 { peers.insert(try await Self.peer(transport, port: port, "/close")) }
                #expect(peers.count == 3)
                let next = try await Self.peer(transport, port: port)
                #expect(!peers.contains(next))
            }
        }
    }

    @Test("a response larger than the buffer limit is refused, and the transport goes on", arguments: TransportUnderTest.allCases)
    func bodyLimit(_ kind: TransportUnderTest) async throws {
        try await Self.withServer { port in
            try await kind.withTransport(.init(maximumResponseBodyBytes: 4)) { transport in
                let request = Self.request(.post, port: port, "/echo")
                await #expect { try await transport.send(request, body: HTTPBody("too long")) } throws: {
                    ($0 as? TransportError)?.code == .bodyTooLarge
                }
                let (_, body) = try await transport.send(request, body: HTTPBody("fits"))
                #expect(try await body?.collect(upTo: 4) == Array("fits".utf8))
            }
        }
    }

    @Test("the retry stack retries a 503 of a GET through the real transport", arguments: TransportUnderTest.allCases)
    func retries(_ kind: TransportUnderTest) async throws {
        try await Self.withServer { port in
            try await kind.withTransport { transport in
                let sleeper = SleepRecorder()
                let stack = transport.with([RequestIDMiddleware(), RetryMiddleware(sleep: sleeper.sleep)])
                let (response, _) = try await stack.send(Self.request(port: port, "/busy"), body: nil)
                #expect(response.status.code == 503)
                #expect(sleeper.sleeps == [.zero, .zero])
            }
        }
    }

    @Test("a silent server hits the read timeout, and that connection is not reused", arguments: TransportUnderTest.allCases)
    func readTimeout(_ kind: TransportUnderTest) async throws {
        try await Self.withServer { port in
            // Long enough for the quick requests on a busy machine, well short of /slow's 30 seconds.
            try await kind.withTransport(.init(readTimeout: .seconds(3))) { transport in
                let before = try await Self.peer(transport, port: port)
                let started = ContinuousClock.now
                await #expect { try await transport.send(Self.request(port: port, "/slow"), body: nil) } throws: {
                    ($0 as? TransportError)?.code == .timedOut
                }
                #expect(started.duration(to: .now) < .seconds(15), "the request was cut off, not waited out")
                let after = try await Self.peer(transport, port: port)
                #expect(before != after)
            }
        }
    }

    @Test("a per-attempt timeout is enforced by the transport and reported as timedOut; the connection is dropped", arguments: TransportUnderTest.allCases)
    func attemptTimeout(_ kind: TransportUnderTest) async throws {
        try await Self.withServer { port in
            try await kind.withTransport { transport in
                let stack = transport.with([TimeoutMiddleware(perAttempt: .milliseconds(200))])
                // The connection is told apart through requests without the short limit, which a
                // busy machine could miss.
                let before = try await Self.peer(transport, port: port)
                let started = ContinuousClock.now
                await #expect { try await stack.send(Self.request(port: port, "/slow"), body: nil) } throws: {
                    ($0 as? TransportError)?.code == .timedOut
                }
                #expect(started.duration(to: .now) < .seconds(15), "the request was cut off, not waited out")
                let after = try await Self.peer(transport, port: port)
                #expect(before != after)
            }
        }
    }

    @Test("an overall deadline enforced by the transport is reported as deadlineExceeded, retries included", arguments: TransportUnderTest.allCases)
    func deadline(_ kind: TransportUnderTest) async throws {
        try await Self.withServer { port in
            try await kind.withTransport { transport in
                let stack = transport.with([
                    DeadlineMiddleware(overall: .milliseconds(300)),
                    RetryMiddleware(sleep: SleepRecorder().sleep),
                    TimeoutMiddleware(perAttempt: .seconds(60)),
                ])
                let request = Self.request(port: port, "/slow")
                let started = ContinuousClock.now
                await #expect { try await stack.send(request, body: nil) } throws: {
                    ($0 as? TransportError)?.code == .deadlineExceeded
                }
                #expect(started.duration(to: .now) < .seconds(15))
                // A deadline that has already passed fails at once, without a request.
                let expired = transport.with([DeadlineMiddleware(overall: .zero)])
                await #expect { try await expired.send(request, body: nil) } throws: {
                    ($0 as? TransportError)?.code == .deadlineExceeded
                }
            }
        }
    }

    @Test("a refused connection is a connection failure", arguments: TransportUnderTest.allCases)
    func connectionRefused(_ kind: TransportUnderTest) async throws {
        // Port 1 lies below the ephemeral range, so no server of this test run can be handed it while
        // the test connects (a port bound and released here could be, by a test running alongside).
        let port = 1
        try await kind.withTransport(.init(connectTimeout: .seconds(2))) { transport in
            await #expect { try await transport.send(Self.request(port: port, "/"), body: nil) } throws: {
                ($0 as? TransportError)?.code == .connectionFailed
            }
        }
    }

    @Test("AHCTransport without connection retries reports a refused connection at once, well inside its connect timeout")
    func refusedAtOnce() async throws {
        try await AHCTransport.withTransport(configuration: .init(connectTimeout: .seconds(30), retriesConnectionEstablishment: false)) { transport in
            let started = ContinuousClock.now
            await #expect { try await transport.send(Self.request(port: 1, "/"), body: nil) } throws: {
                ($0 as? TransportError)?.code == .connectionFailed
            }
            // With retries (the default) the same request keeps trying for the whole 30 s.
            #expect(ContinuousClock.now - started < .seconds(15))
        }
    }

    @Test("200 requests at once each get their own answer, over at most the allowed connections", arguments: TransportUnderTest.allCases)
    func concurrentRequests(_ kind: TransportUnderTest) async throws {
        try await Self.withServer { port in
            // 200 requests queue for 8 connections; a queued request waits up to the connect
            // timeout, so a generous one keeps a busy host from failing what this test is not about.
            try await kind.withTransport(.init(connectTimeout: .seconds(60), maximumConnectionsPerHost: 8)) { transport in
                let peers = try await withThrowingTaskGroup(of: String.self) { group in
                    for index in 0..<200 {
                        group.addTask {
                            let (response, body) = try await transport.send(Self.request(.post, port: port, "/echo"), body: HTTPBody("request \(index)"))
                            #expect(response.status.code == 201)
                            #expect(try await body?.collect(upTo: 100) == Array("request \(index)".utf8))
                            return response.headerFields[.peerPort] ?? ""
                        }
                    }
                    return try await group.reduce(into: Set<String>()) { $0.insert($1) }
                }
                #expect(peers.count <= 8)
            }
        }
    }

    @Test("a request after shutdown fails with a transport error", arguments: TransportUnderTest.allCases)
    func sendAfterShutdown(_ kind: TransportUnderTest) async throws {
        try await Self.withServer { port in
            let transport = kind.make()
            _ = try await Self.peer(transport, port: port)
            try await transport.shutdown()
            await #expect { try await transport.send(Self.request(port: port, "/peer"), body: nil) } throws: { $0 is TransportError }
        }
    }
}

@Suite("AHCTransport against a live server")
struct AHCTransportTests {
    @Test("a streamed response body is handed over as a stream")
    func streamedResponses() async throws {
        try await LiveTransportTests.withServer { port in
            try await AHCTransport.withTransport(configuration: .init(responseBody: .streamed)) { transport in
                let request = LiveTransportTests.request(.post, port: port, "/echo")
                let (_, body) = try await transport.send(request, body: HTTPBody("streamed"))
                #expect(body?.isBuffered == false)
                #expect(try await body?.collect(upTo: 100) == Array("streamed".utf8))
            }
        }
    }
}
