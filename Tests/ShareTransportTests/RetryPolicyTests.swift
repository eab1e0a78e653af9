import HTTPTypes
import ShareTransport
import ShareTestSupport
import Testing

@Suite("RetryPolicy decisions")
struct RetryPolicyTests {
    let policy = RetryPolicy(maximumAttempts: 4, baseDelay: .milliseconds(100), maximumDelay: .seconds(1), maximumRetryAfter: .seconds(10))

    func decide(_ outcome: RetryPolicy.Outcome, attempt: Int = 1, idempotent: Bool = true, now: Double = 0) -> RetryPolicy.Decision {
        var random = SeededGenerator(seed: 42)
        return policy.decision(afterAttempt: attempt, outcome: outcome, isIdempotent: idempotent, now: now, random: &random)
    }

    func response(_ status: Int, _ headers: HTTPFields = [:]) -> RetryPolicy.Outcome {
        .response(HTTPResponse(status: .init(code: status), headerFields: headers))
    }

    @Test("429, 502, 503 and 504 are retried for idempotent requests", arguments: [429, 502, 503, 504])
    func retriesTransientStatuses(status: Int) {
        guard case .retry = decide(response(status)) else {
            Issue.record("expected a retry for \(status)")
            return
        }
    }

    @Test("other statuses are final", arguments: [200, 400, 401, 404, 500])
    func stopsOnOtherStatuses(status: Int) {
        guard case .stop = decide(response(status)) else {
            Issue.record("expected no retry for \(status)")
            return
        }
    }

    @Test("a request that is not safe to repeat is never retried")
    func neverRetriesNonIdempotent() {
        guard case .stop(let reason) = decide(response(503), idempotent: false) else {
            Issue.record("expected no retry")
            return
        }
        #expect(reason.contains("not safe to repeat"))
        guard case .stop = decide(.failure(TransportError(.connectionFailed)), idempotent: false) else {
            Issue.record("expected no retry")
            return
        }
    }

    @Test("connection failures and timed-out attempts are retried; other errors are not")
    func transientFailures() {
        guard case .retry = decide(.failure(TransportError(.connectionFailed))) else { Issue.record("connection"); return }
        guard case .retry = decide(.failure(TransportError(.timedOut))) else { Issue.record("timeout"); return }
        guard case .stop = decide(.failure(TransportError(.deadlineExceeded))) else { Issue.record("deadline"); return }
        guard case .stop = decide(.failure(CancellationError())) else { Issue.record("cancel"); return }
    }

    @Test("the attempt limit stops retries")
    func attemptLimit() {
        guard case .retry = decide(response(503), attempt: 3) else { Issue.record("attempt 3"); return }
        guard case .stop = decide(response(503), attempt: 4) else { Issue.record("attempt 4"); return }
    }

    @Test("Retry-After in seconds is honoured exactly")
    func retryAfterSeconds() {
        guard case .retry(let delay, _) = decide(response(429, [.retryAfter: "7"])) else {
            Issue.record("expected a retry")
            return
        }
        #expect(delay == .seconds(7))
    }

    @Test("Retry-After as an HTTP date is measured from now")
    func retryAfterDate() {
        // 784111777 is Sun, 06 Nov 1994 08:49:37 GMT.
        guard case .retry(let delay, _) = decide(response(503, [.retryAfter: "Sun, 06 Nov 1994 08:49:40 GMT"]), now: 784_111_777) else {
            Issue.record("expected a retry")
            return
        }
        #expect(delay == .seconds(3))
        #expect(RetryAfter.delay("Sun, 06 Nov 1994 08:49:37 GMT", now: 784_111_800) == .zero)
        #expect(RetryAfter.delay("soon", now: 0) == nil)
    }

    @Test("a Retry-After longer than the maximum returns the response instead of waiting")
    func retryAfterTooLong() {
        guard case .stop(let reason) = decide(response(503, [.retryAfter: "120"])) else {
            Issue.record("expected no retry")
            return
        }
        #expect(reason.contains("Retry-After"))
    }

    @Test("full-jitter back-off stays within a doubling, capped ceiling")
    func fullJitterBounds() {
        #expect(policy.ceilingNanoseconds(beforeRetry: 1) == 100_000_000)
        #expect(policy.ceilingNanoseconds(beforeRetry: 2) == 200_000_000)
        #expect(policy.ceilingNanoseconds(beforeRetry: 3) == 400_000_000)
        #expect(policy.ceilingNanoseconds(beforeRetry: 10) == 1_000_000_000)
        var random = SeededGenerator(seed: 7)
        var seen = Set<Duration>()
        for retry in 1...6 {
            for _ in 0..<200 {
                let delay = policy.backoff(beforeRetry: retry, random: &random)
                #expect(delay >= .zero)
                #expect(delay <= .nanoseconds(policy.ceilingNanoseconds(beforeRetry: retry)))
                seen.insert(delay)
            }
        }
        #expect(seen.count > 1000, "delays are spread, not fixed")
    }
}
