public import HTTPTypes

/// Bounds the total time of a request, retries and back-off included: when `overall` has passed,
/// the request is cancelled and ``TransportError/Code/deadlineExceeded`` is thrown.
///
/// The deadline is published as ``current`` so that ``RetryMiddleware`` does not start a wait it
/// cannot finish and ``TimeoutMiddleware`` shortens the last attempt. A deadline bound by an outer
/// caller is kept when it is earlier. Place it outside ``RetryMiddleware``.
public struct DeadlineMiddleware: TimeLimitingMiddleware {
    /// The longest a request may take in total.
    public var overall: Duration
    /// See ``TimeLimitingMiddleware/transportEnforces``.
    var transportEnforces = false

    public init(overall: Duration) { self.overall = overall }

    /// The instant by which the current request must be done, if a ``DeadlineMiddleware`` set one.
    @TaskLocal public static var current: ContinuousClock.Instant?

    /// The time left until ``current``, or `nil` without a deadline.
    public static var remaining: Duration? { current.map { ContinuousClock.now.duration(to: $0) } }

    public func intercept(_ request: HTTPRequest, body: HTTPBody?, next: TransportNext) async throws -> (HTTPResponse, HTTPBody?) {
        let own = ContinuousClock.now.advanced(by: overall)
        let deadline = Self.current.map { min($0, own) } ?? own
        let overall = overall
        if transportEnforces {
            let error = TransportError(.deadlineExceeded, detail: "no answer within \(overall)")
            guard deadline > ContinuousClock.now else { throw error }
            return try await Self.$current.withValue(deadline) {
                try await TransportDeadline.$current.withValue(TransportDeadline(instant: deadline, error: error)) {
                    try await next(request, body)
                }
            }
        }
        return try await Self.$current.withValue(deadline) {
            try await withTimeLimit(
                ContinuousClock.now.duration(to: deadline),
                error: { TransportError(.deadlineExceeded, detail: "no answer within \(overall)") },
                operation: { try await next(request, body) }
            )
        }
    }
}
