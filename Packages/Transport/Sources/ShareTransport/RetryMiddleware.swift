#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
public import HTTPTypes

/// Sends a request again after a transient failure, as its ``RetryPolicy`` decides.
///
/// Only requests that are safe to repeat are retried: those whose ``OperationContext`` says so
/// (ShareKit's clients mark introspection, revocation and reads, and a token grant only when the
/// caller opts in), or, without a context, those with an idempotent method. A request whose body
/// is streamed is sent once, since it cannot be replayed. The waits never run past the deadline of
/// an enclosing ``DeadlineMiddleware``.
///
/// ShareTransport does not log (it depends on swift-http-types alone); pass `onRetry` to observe
/// each decision to retry, e.g. to log it.
public struct RetryMiddleware: TransportMiddleware {
    /// A decision to retry, reported before the wait.
    public struct Event: Sendable, CustomStringConvertible {
        /// The attempt that just failed (1 for the first).
        public var attempt: Int
        /// The wait before the next attempt.
        public var delay: Duration
        /// Why, e.g. `status 503, Retry-After 2 seconds` or `connection_failed`.
        public var reason: String
        /// The ``OperationContext/name`` of the request, when bound.
        public var operation: String?
        /// The request's `X-Request-Id`, when set.
        public var requestID: String?

        public var description: String {
            "retrying\(operation.map { " \($0)" } ?? "") after attempt \(attempt) (\(reason)) in \(delay)"
        }
    }

    /// When and how long to wait.
    public var policy: RetryPolicy
    private let onRetry: (@Sendable (Event) -> Void)?
    private let sleep: @Sendable (Duration) async throws -> Void

    /// - Parameters:
    ///   - policy: When and how long to wait.
    ///   - onRetry: Called before each wait.
    ///   - sleep: Waits; replaceable so that tests can record the waits instead of taking them.
    public init(
        policy: RetryPolicy = .default,
        onRetry: (@Sendable (Event) -> Void)? = nil,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.policy = policy
        self.onRetry = onRetry
        self.sleep = sleep
    }

    public func intercept(_ request: HTTPRequest, body: HTTPBody?, next: TransportNext) async throws -> (HTTPResponse, HTTPBody?) {
        let isIdempotent = OperationContext.isIdempotent(request) && (body?.isBuffered ?? true)
        guard isIdempotent, policy.maximumAttempts > 1 else { return try await next(request, body) }
        var random = SystemRandomNumberGenerator()
        var attempt = 1
        while true {
            let outcome: Result<(HTTPResponse, HTTPBody?), any Error>
            do {
                outcome = .success(try await next(request, body))
            } catch {
                outcome = .failure(error)
            }
            let decision: RetryPolicy.Decision
            if Task.isCancelled {
                decision = .stop(reason: "cancelled")
            } else {
                let observed: RetryPolicy.Outcome =
                    switch outcome {
                    case .success(let (response, _)): .response(response)
                    case .failure(let error): .failure(error)
                    }
                decision = policy.decision(
                    afterAttempt: attempt, outcome: observed, isIdempotent: true,
                    now: Date().timeIntervalSince1970, random: &random
                )
            }
            guard case .retry(let delay, let reason) = decision,
                DeadlineMiddleware.remaining.map({ $0 > delay }) ?? true
            else { return try finish(outcome, attempts: attempt) }
            onRetry?(
                Event(
                    attempt: attempt, delay: delay, reason: reason, operation: OperationContext.current?.name,
                    requestID: request.headerFields[.requestID]
                )
            )
            try await sleep(delay)
            attempt += 1
        }
    }

    private func finish(_ outcome: Result<(HTTPResponse, HTTPBody?), any Error>, attempts: Int) throws -> (HTTPResponse, HTTPBody?) {
        switch outcome {
        case .success(let value):
            return value
        case .failure(var error as TransportError):
            error.attempts = attempts
            throw error
        case .failure(let error):
            throw error
        }
    }
}
