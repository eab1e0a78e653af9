import HTTPTypes
import ShareTransport
import Testing

@Suite("Timeouts and deadlines")
struct TimeoutTests {
    @Test("an attempt that gets no response is cancelled and reported as timed out")
    func attemptTimesOut() async throws {
        let transport = ScriptedTransport([.hang])
        await #expect {
            try await transport.with([TimeoutMiddleware(perAttempt: .milliseconds(50))]).send(request(), body: nil)
        } throws: { ($0 as? TransportError)?.code == .timedOut }
    }

    @Test("a timed-out attempt of an idempotent operation is retried")
    func timedOutAttemptIsRetried() async throws {
        let transport = ScriptedTransport([.hang, .respond(200)])
        let stack = transport.with([RetryMiddleware(sleep: SleepRecorder().sleep), TimeoutMiddleware(perAttempt: .milliseconds(50))])
        let (response, _) = try await stack.send(request(.get), body: nil)
        #expect(response.status == .ok)
        #expect(transport.requests.count == 2)
    }

    @Test("the overall deadline bounds every attempt and wait together")
    func deadlineExceeded() async throws {
        let transport = ScriptedTransport([.hang, .hang, .hang])
        let stack = transport.with([
            DeadlineMiddleware(overall: .milliseconds(100)),
            RetryMiddleware(sleep: SleepRecorder().sleep),
            TimeoutMiddleware(perAttempt: .seconds(60)),
        ])
        await #expect {
            try await stack.send(request(.get), body: nil)
        } throws: { ($0 as? TransportError)?.code == .deadlineExceeded }
    }

    @Test("a retry whose wait would pass the deadline is not started")
    func noWaitPastDeadline() async throws {
        let transport = ScriptedTransport([.respond(503, headers: [.retryAfter: "20"]), .respond(200)])
        let sleeper = SleepRecorder()
        let stack = transport.with([DeadlineMiddleware(overall: .seconds(5)), RetryMiddleware(sleep: sleeper.sleep)])
        let (response, _) = try await stack.send(request(.get), body: nil)
        #expect(response.status.code == 503)
        #expect(sleeper.sleeps.isEmpty)
    }
}

@Suite("RequestIDMiddleware")
struct RequestIDMiddlewareTests {
    @Test("a request without an id gets a fresh one; an existing id is propagated")
    func createsOrPropagates() async throws {
        let transport = ScriptedTransport([])
        let stack = transport.with([RequestIDMiddleware()])
        _ = try await stack.send(request(), body: nil)
        _ = try await stack.send(request(), body: nil)
        var forwarded = request()
        forwarded.headerFields[.requestID] = "from-the-browser"
        _ = try await stack.send(forwarded, body: nil)
        try await RequestIDMiddleware.$propagated.withValue("bound-by-a-server") {
            _ = try await stack.send(request(), body: nil)
        }
        let ids = transport.requests.map { $0.headerFields[.requestID] ?? "" }
        #expect(ids[0].count == 32)
        #expect(ids[0] != ids[1])
        #expect(ids[2] == "from-the-browser")
        #expect(ids[3] == "bound-by-a-server")
    }
}

@Suite("HTTPBody")
struct HTTPBodyTests {
    @Test("a streamed body collects into one buffer, and a limit is enforced")
    func collectsStreams() async throws {
        func stream() -> HTTPBody {
            HTTPBody(
                streaming: AsyncStream<ArraySlice<UInt8>> { continuation in
                    continuation.yield([1, 2])
                    continuation.yield([3])
                    continuation.finish()
                }
            )
        }
        #expect(try await stream().collect(upTo: 10) == [1, 2, 3])
        await #expect { try await stream().collect(upTo: 2) } throws: { ($0 as? TransportError)?.code == .bodyTooLarge }
        let buffered = HTTPBody("abc")
        #expect(buffered.isBuffered && buffered.length == 3)
        #expect(try await buffered.collect(upTo: 3) == Array("abc".utf8))
        #expect(try await buffered.collect(upTo: 3) == Array("abc".utf8), "a buffered body can be read again")
    }
}
