import HTTPTypes
import ShareTransport
import ShareTransportNIO
import Testing

/// What only the NIO transport needs checked; the shared behaviours are in `LiveTransportTests`.
@Suite("NIOHTTPTransport against a live server")
struct NIOHTTPTransportTests {
    @Test("a streamed request body is sent in full")
    func streamedRequestBody() async throws {
        try await LiveTransportTests.withServer { port in
            try await TransportUnderTest.nio.withTransport { transport in
                let chunks = AsyncStream<ArraySlice<UInt8>> { continuation in
                    continuation.yield(ArraySlice("first ".utf8))
                    continuation.yield(ArraySlice("second".utf8))
                    continuation.finish()
                }
                let (_, body) = try await transport.send(LiveTransportTests.request(.post, port: port, "/echo"), body: HTTPBody(streaming: chunks))
                #expect(try await body?.collect(upTo: 100) == Array("first second".utf8))
            }
        }
    }

    @Test("a cancelled request ends at once with CancellationError, and its connection is dropped")
    func cancellation() async throws {
        try await LiveTransportTests.withServer { port in
            try await TransportUnderTest.nio.withTransport { transport in
                let before = try await LiveTransportTests.peer(transport, port: port)
                let started = ContinuousClock.now
                let slow = Task { try await transport.send(LiveTransportTests.request(port: port, "/slow"), body: nil) }
                try await Task.sleep(for: .milliseconds(400))
                slow.cancel()
                await #expect(throws: CancellationError.self) { try await slow.value }
                #expect(started.duration(to: .now) < .seconds(15))
                #expect(try await LiveTransportTests.peer(transport, port: port) != before)
            }
        }
    }

    @Test("a request waiting for a free connection is bounded by its deadline")
    func waitingIsBounded() async throws {
        try await LiveTransportTests.withServer { port in
            try await TransportUnderTest.nio.withTransport(.init(maximumConnectionsPerHost: 1)) { transport in
                let slow = Task { try await transport.send(LiveTransportTests.request(port: port, "/slow"), body: nil) }
                try await Task.sleep(for: .milliseconds(400))
                let stack = transport.with([TimeoutMiddleware(perAttempt: .milliseconds(200))])
                let started = ContinuousClock.now
                await #expect { try await stack.send(LiveTransportTests.request(port: port, "/peer"), body: nil) } throws: {
                    ($0 as? TransportError)?.code == .timedOut
                }
                #expect(started.duration(to: .now) < .seconds(15))
                slow.cancel()
                _ = await slow.result
                // The place freed by the cancelled request serves the next one.
                _ = try await LiveTransportTests.peer(transport, port: port)
            }
        }
    }

    @Test("https is spoken with TLS: a plain HTTP server is a connection failure")
    func tlsAgainstPlainHTTP() async throws {
        try await LiveTransportTests.withServer { port in
            try await TransportUnderTest.nio.withTransport(.init(readTimeout: .seconds(5))) { transport in
                let request = HTTPRequest(method: .get, scheme: "https", authority: "127.0.0.1:\(port)", path: "/peer")
                await #expect { try await transport.send(request, body: nil) } throws: {
                    ($0 as? TransportError)?.code == .connectionFailed
                }
            }
        }
    }

    @Test("a request without scheme or authority, or with user information, is refused before sending")
    func invalidRequests() async throws {
        try await TransportUnderTest.nio.withTransport { transport in
            for request in [
                HTTPRequest(method: .get, scheme: nil, authority: nil, path: "/"),
                HTTPRequest(method: .get, scheme: "ftp", authority: "example.com", path: "/"),
                HTTPRequest(method: .get, scheme: "http", authority: "user:pass@example.com", path: "/"),
                HTTPRequest(method: .get, scheme: "http", authority: "example.com:99999", path: "/"),
            ] {
                await #expect { try await transport.send(request, body: nil) } throws: {
                    ($0 as? TransportError)?.code == .invalidRequest && !"\($0)".contains("pass")
                }
            }
        }
    }
}
