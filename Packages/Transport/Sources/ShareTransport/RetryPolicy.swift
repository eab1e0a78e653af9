public import HTTPTypes

/// When and how long to wait before sending a request again.
///
/// A request is retried only when it is safe to repeat (see ``OperationContext/isIdempotent(_:)``),
/// and only after a transient failure: a status in ``retryableStatuses`` (429, 502, 503, 504 by
/// default) or a connection failure or timed-out attempt (``TransportError/isTransient``).
///
/// The wait is the server's `Retry-After` when it sent one, else full-jitter exponential back-off:
/// a uniformly random delay between zero and `min(maximumDelay, baseDelay × 2^(retry − 1))`, which
/// spreads the retries of many clients apart (see "Exponential Backoff And Jitter", AWS
/// Architecture Blog, 2015).
public struct RetryPolicy: Hashable, Sendable {
    /// Attempts in total, the first included; `1` disables retries.
    public var maximumAttempts: Int
    /// The back-off ceiling of the first retry; it doubles for each later one.
    public var baseDelay: Duration
    /// The largest back-off ceiling.
    public var maximumDelay: Duration
    /// The longest `Retry-After` honoured; a server asking for more gets its response returned.
    public var maximumRetryAfter: Duration
    /// Response statuses worth retrying.
    public var retryableStatuses: Set<Int>

    public init(
        maximumAttempts: Int = 3,
        baseDelay: Duration = .milliseconds(200),
        maximumDelay: Duration = .seconds(5),
        maximumRetryAfter: Duration = .seconds(30),
        retryableStatuses: Set<Int> = [429, 502, 503, 504]
    ) {
        self.maximumAttempts = maximumAttempts
        self.baseDelay = baseDelay
        self.maximumDelay = maximumDelay
        self.maximumRetryAfter = maximumRetryAfter
        self.retryableStatuses = retryableStatuses
    }

    /// Three attempts, 200 ms base, 5 s cap, `Retry-After` up to 30 s, on 429/502/503/504.
    public static let `default` = RetryPolicy()
    /// A single attempt.
    public static let never = RetryPolicy(maximumAttempts: 1)

    /// What happened to one attempt.
    public enum Outcome: Sendable {
        case response(HTTPResponse)
        case failure(any Error)
    }

    /// Whether to send a request again, and after how long.
    public enum Decision: Hashable, Sendable {
        /// Wait `delay`, then send again; `reason` says why, for logs.
        case retry(after: Duration, reason: String)
        /// Stop here and return the outcome; `reason` says why not to retry, for logs.
        case stop(reason: String)
    }

    /// The decision after attempt number `attempt` (1 for the first) ended with `outcome`.
    ///
    /// - Parameters:
    ///   - attempt: The number of the attempt that just ended, 1 for the first.
    ///   - outcome: How it ended: a response status (with its `Retry-After`) or an error.
    ///   - isIdempotent: Whether the request is safe to send twice.
    ///   - now: Seconds since 1970 of the wall-clock time, to read a `Retry-After` date.
    ///   - random: The source of jitter.
    public func decision(
        afterAttempt attempt: Int,
        outcome: Outcome,
        isIdempotent: Bool,
        now: Double,
        random: inout some RandomNumberGenerator
    ) -> Decision {
        let reason: String
        var retryAfter: Duration?
        switch outcome {
        case .response(let response):
            guard retryableStatuses.contains(response.status.code) else { return .stop(reason: "status \(response.status.code)") }
            reason = "status \(response.status.code)"
            retryAfter = RetryAfter.delay(response.headerFields[.retryAfter], now: now)
        case .failure(let error):
            guard let error = error as? TransportError, error.isTransient else { return .stop(reason: "not a transient failure") }
            reason = error.code.name
        }
        guard isIdempotent else { return .stop(reason: "\(reason), but the request is not safe to repeat") }
        guard attempt < maximumAttempts else { return .stop(reason: "\(reason), and \(attempt) attempts were made") }
        if let retryAfter {
            guard retryAfter <= maximumRetryAfter else {
                return .stop(reason: "\(reason), and Retry-After \(retryAfter) exceeds \(maximumRetryAfter)")
            }
            return .retry(after: retryAfter, reason: "\(reason), Retry-After \(retryAfter)")
        }
        return .retry(after: backoff(beforeRetry: attempt, random: &random), reason: reason)
    }

    /// The full-jitter back-off before retry number `retry` (1 for the first retry): uniform in
    /// `0...min(maximumDelay, baseDelay × 2^(retry − 1))`.
    public func backoff(beforeRetry retry: Int, random: inout some RandomNumberGenerator) -> Duration {
        .nanoseconds(Int64.random(in: 0...ceilingNanoseconds(beforeRetry: retry), using: &random))
    }

    /// The upper bound of ``backoff(beforeRetry:random:)``, in nanoseconds.
    public func ceilingNanoseconds(beforeRetry retry: Int) -> Int64 {
        let cap = maximumDelay.nanoseconds
        var ceiling = max(0, baseDelay.nanoseconds)
        for _ in 1..<max(1, retry) {
            if ceiling >= cap { break }
            ceiling = ceiling > Int64.max / 2 ? cap : ceiling * 2
        }
        return min(ceiling, cap)
    }
}

extension Duration {
    /// The whole duration in nanoseconds, saturating.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        return scaled.addingReportingOverflow(attoseconds / 1_000_000_000).overflow ? .max : scaled + attoseconds / 1_000_000_000
    }
}
