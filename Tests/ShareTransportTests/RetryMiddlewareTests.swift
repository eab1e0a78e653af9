import HTTPTypes
import ShareTransport
import Testing

@Suite("RetryMiddleware")
struct RetryMiddlewareTests {
    @Test("an idempotent operation is retried until it succeeds, with the same request id each time")
    func retriesUntilSuccess() async throws {
        let transport = ScriptedTransport([.respond(503), .fail(TransportError(.connectionFailed)), .respond(200)])
        let sleeper = SleepRecorder()
        let events = EventRecorder()
        let stack = transport.with([
            RequestIDMiddleware(),
            RetryMiddleware(policy: .default, onRetry: { events.append($0) }, sleep: sleeper.sleep),
        ])
        let (response, _) = try await OperationContext.$current.withValue(.init(name: "oauth.introspect", isIdempotent: true)) {
            try await stack.send(request(), body: HTTPBody("{}"))
        }
        #expect(response.status == .ok)
        #expect(transport.requests.count == 3)
        #expect(Set(transport.requests.map { $0.headerFields[.requestID] }).count == 1)
        #expect(sleeper.sleeps.count == 2)
        #expect(events.events.map(\.attempt) == [1, 2])
        #expect(events.events.allSatisfy { $0.operation == "oauth.introspect" })
    }

    @Test("a token grant is sent once, even after a 503")
    func tokenGrantIsNotRetried() async throws {
        let transport = ScriptedTransport([.respond(503), .respond(200)])
        let sleeper = SleepRecorder()
        let stack = transport.with([RetryMiddleware(sleep: sleeper.sleep)])
        let (response, _) = try await OperationContext.$current.withValue(.init(name: "oauth.token", isIdempotent: false)) {
            try await stack.send(request(path: "/oauth/token"), body: HTTPBody("{}"))
        }
        #expect(response.status.code == 503)
        #expect(transport.requests.count == 1)
        #expect(sleeper.sleeps.isEmpty)
    }

    @Test("without an operation context, a POST is not retried and a GET is")
    func methodDecidesWithoutContext() async throws {
        let post = ScriptedTransport([.respond(502), .respond(200)])
        _ = try await post.with([RetryMiddleware(sleep: SleepRecorder().sleep)]).send(request(.post), body: nil)
        #expect(post.requests.count == 1)
        let get = ScriptedTransport([.respond(502), .respond(200)])
        _ = try await get.with([RetryMiddleware(sleep: SleepRecorder().sleep)]).send(request(.get), body: nil)
        #expect(get.requests.count == 2)
    }

    @Test("the server's Retry-After is the wait")
    func honoursRetryAfter() async throws {
        let transport = ScriptedTransport([.respond(429, headers: [.retryAfter: "2"]), .respond(200)])
        let sleeper = SleepRecorder()
        _ = try await transport.with([RetryMiddleware(sleep: sleeper.sleep)]).send(request(.get), body: nil)
        #expect(sleeper.sleeps == [.seconds(2)])
    }

    @Test("after the last attempt the transport error is thrown with the attempt count")
    func exhaustsAttempts() async throws {
        let failure = TransportError(.connectionFailed, detail: "refused")
        let transport = ScriptedTransport([.fail(failure), .fail(failure), .fail(failure)])
        let stack = transport.with([RequestIDMiddleware(makeID: { "req-1" }), RetryMiddleware(sleep: SleepRecorder().sleep)])
        await #expect {
            try await stack.send(request(.get), body: nil)
        } throws: { error in
            let error = error as? TransportError
            return error?.code == .connectionFailed && error?.attempts == 3 && error?.requestID == "req-1"
        }
        #expect(transport.requests.count == 3)
    }

    @Test("a streamed request body cannot be replayed, so it is sent once")
    func streamedBodyIsSentOnce() async throws {
        let transport = ScriptedTransport([.respond(503), .respond(200)])
        let chunks = AsyncStream<ArraySlice<UInt8>> { continuation in
            continuation.yield([1, 2, 3])
            continuation.finish()
        }
        _ = try await transport.with([RetryMiddleware(sleep: SleepRecorder().sleep)]).send(request(.put), body: HTTPBody(streaming: chunks))
        #expect(transport.requests.count == 1)
    }
}

final class EventRecorder: @unchecked Sendable {
    private let lock = Lock()
    private var recorded: [RetryMiddleware.Event] = []
    var events: [RetryMiddleware.Event] { lock.withLock { recorded } }
    func append(_ event: RetryMiddleware.Event) { lock.withLock { recorded.append(event) } }
}
