/// The instant by which the current attempt must be answered, for transports that enforce it
/// themselves (``DeadlineEnforcingTransport``).
///
/// ``DeadlineMiddleware`` and ``TimeoutMiddleware`` race a timer task against the rest of the
/// chain when the transport below cannot bound a request. A transport that can (AsyncHTTPClient
/// takes a deadline per request) conforms to ``DeadlineEnforcingTransport``; a
/// ``ComposedTransport`` on it then has those middlewares publish the deadline here instead, which
/// saves two child tasks and a timer per middleware on every request.
public struct TransportDeadline: Sendable {
    /// When the attempt must have its answer.
    public var instant: ContinuousClock.Instant
    /// What to throw when it passes: ``TransportError/Code/timedOut`` for a per-attempt timeout,
    /// ``TransportError/Code/deadlineExceeded`` for the request's overall deadline.
    public var error: TransportError

    public init(instant: ContinuousClock.Instant, error: TransportError) {
        self.instant = instant
        self.error = error
    }

    /// The deadline of the attempt being sent, if a time-limit middleware published one.
    @TaskLocal public static var current: TransportDeadline?
}

/// A transport that bounds each request by ``TransportDeadline/current`` itself: when the
/// instant passes before the answer is complete, it cancels the request and throws the
/// deadline's ``TransportDeadline/error``.
public protocol DeadlineEnforcingTransport: HTTPTransport {}

/// A middleware that limits time and can leave the enforcing to the transport.
protocol TimeLimitingMiddleware: TransportMiddleware {
    /// Whether the transport below enforces ``TransportDeadline/current`` (set by
    /// ``ComposedTransport`` for a ``DeadlineEnforcingTransport``).
    var transportEnforces: Bool { get set }
}

extension TimeLimitingMiddleware {
    /// This middleware, publishing its deadline in ``TransportDeadline/current`` instead of
    /// racing a timer.
    func relyingOnTransport() -> Self {
        var copy = self
        copy.transportEnforces = true
        return copy
    }
}
