import HTTPTypes
import Hummingbird
import ShareTestSupport
import ShareTransport
import ShareTransportAHC
import Testing

@Suite("AHCTransport against a live server")
struct AHCTransportTests {
    static func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.post("/echo") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            var headers = HTTPFields()
            headers[.contentType] = "application/octet-stream"
            headers[HTTPField.Name("X-Seen-Id")!] = request.headers[.requestID] ?? "none"
            headers[HTTPField.Name("X-Seen-Method")!] = request.method.rawValue
            return Response(status: .created, headers: headers, body: .init(byteBuffer: body))
        }
        router.get("/slow") { _, _ -> Response in
            try await Task.sleep(for: .seconds(5))
            return Response(status: .ok)
        }
        router.get("/busy") { _, _ -> Response in
            Response(status: .serviceUnavailable, headers: [.retryAfter: "0"])
        }
        return router
    }

    @Test("sends method, headers and body, and returns status, headers and body")
    func roundTrip() async throws {
        try await withLiveServer(Self.router()) { port in
            let transport = AHCTransport()
            do {
                var request = HTTPRequest(method: .post, scheme: "http", authority: "127.0.0.1:\(port)", path: "/echo")
                request.headerFields[.requestID] = "abc"
                for index in 0..<5 {
                    let (response, body) = try await transport.send(request, body: HTTPBody("payload \(index)"))
                    #expect(response.status.code == 201)
                    #expect(response.headerFields[HTTPField.Name("X-Seen-Id")!] == "abc")
                    #expect(response.headerFields[HTTPField.Name("X-Seen-Method")!] == "POST")
                    #expect(try await body?.collect(upTo: 100) == Array("payload \(index)".utf8))
                }
            } catch {
                try await transport.shutdown()
                throw error
            }
            try await transport.shutdown()
        }
    }

    @Test("a streamed response body is handed over as a stream")
    func streamedResponses() async throws {
        try await withLiveServer(Self.router()) { port in
            let transport = AHCTransport(configuration: .init(responseBody: .streamed))
            let request = HTTPRequest(method: .post, scheme: "http", authority: "127.0.0.1:\(port)", path: "/echo")
            let (_, body) = try await transport.send(request, body: HTTPBody("streamed"))
            #expect(body?.isBuffered == false)
            #expect(try await body?.collect(upTo: 100) == Array("streamed".utf8))
            try await transport.shutdown()
        }
    }

    @Test("a response larger than the buffer limit is refused")
    func bodyLimit() async throws {
        try await withLiveServer(Self.router()) { port in
            let transport = AHCTransport(configuration: .init(responseBody: .buffered(upTo: 4)))
            let request = HTTPRequest(method: .post, scheme: "http", authority: "127.0.0.1:\(port)", path: "/echo")
            await #expect { try await transport.send(request, body: HTTPBody("too long")) } throws: {
                ($0 as? TransportError)?.code == .bodyTooLarge
            }
            try await transport.shutdown()
        }
    }

    @Test("the retry stack retries a 503 of a GET through the real transport")
    func retriesThroughAHC() async throws {
        try await withLiveServer(Self.router()) { port in
            let transport = AHCTransport()
            let sleeper = SleepRecorder()
            let stack = transport.with([RequestIDMiddleware(), RetryMiddleware(sleep: sleeper.sleep)])
            let request = HTTPRequest(method: .get, scheme: "http", authority: "127.0.0.1:\(port)", path: "/busy")
            let (response, _) = try await stack.send(request, body: nil)
            #expect(response.status.code == 503)
            #expect(sleeper.sleeps == [.zero, .zero])
            try await transport.shutdown()
        }
    }

    @Test("a per-attempt timeout is enforced by AsyncHTTPClient itself and reported as timedOut")
    func attemptTimeoutThroughAHC() async throws {
        try await withLiveServer(Self.router()) { port in
            let transport = AHCTransport()
            let stack = transport.with([TimeoutMiddleware(perAttempt: .milliseconds(200))])
            let request = HTTPRequest(method: .get, scheme: "http", authority: "127.0.0.1:\(port)", path: "/slow")
            let started = ContinuousClock.now
            await #expect { try await stack.send(request, body: nil) } throws: { ($0 as? TransportError)?.code == .timedOut }
            #expect(started.duration(to: .now) < .seconds(3), "the request was cut off, not waited out")
            try await transport.shutdown()
        }
    }

    @Test("an overall deadline enforced by AsyncHTTPClient is reported as deadlineExceeded, retries included")
    func deadlineThroughAHC() async throws {
        try await withLiveServer(Self.router()) { port in
            let transport = AHCTransport()
            let stack = transport.with([
                DeadlineMiddleware(overall: .milliseconds(300)),
                RetryMiddleware(sleep: SleepRecorder().sleep),
                TimeoutMiddleware(perAttempt: .seconds(60)),
            ])
            let request = HTTPRequest(method: .get, scheme: "http", authority: "127.0.0.1:\(port)", path: "/slow")
            let started = ContinuousClock.now
            await #expect { try await stack.send(request, body: nil) } throws: {
                ($0 as? TransportError)?.code == .deadlineExceeded
            }
            #expect(started.duration(to: .now) < .seconds(3))
            // A deadline that has already passed fails at once, without a request.
            let expired = transport.with([DeadlineMiddleware(overall: .zero)])
            await #expect { try await expired.send(request, body: nil) } throws: {
                ($0 as? TransportError)?.code == .deadlineExceeded
            }
            try await transport.shutdown()
        }
    }

    @Test("a refused connection is a connection failure")
    func connectionRefused() async throws {
        // Bind then release a port so that nothing listens on it.
        let port = try await withLiveServer(Router()) { port in port }
        let transport = AHCTransport(configuration: .init(connectTimeout: .seconds(2)))
        let request = HTTPRequest(method: .get, scheme: "http", authority: "127.0.0.1:\(port)", path: "/")
        await #expect { try await transport.send(request, body: nil) } throws: {
            ($0 as? TransportError)?.code == .connectionFailed
        }
        try await transport.shutdown()
    }
}
