public import HTTPTypes

/// Bounds each attempt: when no response head has arrived within `perAttempt` (or before the
/// overall deadline of a ``DeadlineMiddleware``, whichever is sooner), the attempt is cancelled
/// and ``TransportError/Code/timedOut`` is thrown, which ``RetryMiddleware`` may retry.
///
/// Place it inside ``RetryMiddleware``. Reading a streamed response body is bounded by the
/// transport's own read timeout, not by this middleware.
public struct TimeoutMiddleware: TimeLimitingMiddleware {
    /// The longest one attempt may wait for a response.
    public var perAttempt: Duration
    /// See ``TimeLimitingMiddleware/transportEnforces``.
    var transportEnforces = false

    public init(perAttempt: Duration) { self.perAttempt = perAttempt }

    public func intercept(_ request: HTTPRequest, body: HTTPBody?, next: TransportNext) async throws -> (HTTPResponse, HTTPBody?) {
        let attemptLimit = perAttempt
        let limit = DeadlineMiddleware.remaining.map { min($0, attemptLimit) } ?? attemptLimit
        let error = { @Sendable in
            limit < attemptLimit
                ? TransportError(.deadlineExceeded, detail: "the overall deadline passed during an attempt")
                : TransportError(.timedOut, detail: "no response within \(attemptLimit)")
        }
        if transportEnforces {
            guard limit > .zero else { throw error() }
            let deadline = TransportDeadline(instant: ContinuousClock.now.advanced(by: limit), error: error())
            return try await TransportDeadline.$current.withValue(deadline) { try await next(request, body) }
        }
        return try await withTimeLimit(limit, error: error, operation: { try await next(request, body) })
    }
}
