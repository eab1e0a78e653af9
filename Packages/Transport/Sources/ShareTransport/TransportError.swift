/// A request that got no usable HTTP response: the connection failed, an attempt timed out, the
/// overall deadline passed, or a body was too large.
///
/// Like AsyncHTTPClient's `HTTPClientError`, it is a struct over an open set of ``Code``s, so new
/// codes never break a `switch`, and a code can serve as a metric label. Its description names the
/// code, the request id and a short detail; it never holds header values or bodies, so it is
/// safe to log.
public struct TransportError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// A stable, machine-readable name, e.g. `connection_failed`.
        public let name: String
        private init(_ name: String) { self.name = name }

        /// The server could not be reached, or the connection broke before a response arrived.
        public static let connectionFailed = Code("connection_failed")
        /// One attempt took longer than its timeout (see ``TimeoutMiddleware``).
        public static let timedOut = Code("timed_out")
        /// The overall deadline of the request passed (see ``DeadlineMiddleware``).
        public static let deadlineExceeded = Code("deadline_exceeded")
        /// A body was larger than the limit of whoever read it.
        public static let bodyTooLarge = Code("body_too_large")
        /// The request could not be sent as given (e.g. it has no scheme or authority).
        public static let invalidRequest = Code("invalid_request")

        public var description: String { name }
    }

    /// What went wrong.
    public var code: Code
    /// A short explanation; never holds secrets, header values or bodies.
    public var detail: String?
    /// The `X-Request-Id` the request was sent with, when known.
    public var requestID: String?
    /// How many attempts were made, when a ``RetryMiddleware`` counted them.
    public var attempts: Int?
    /// The error of the HTTP stack, when there was one.
    public var underlying: (any Error)?

    public init(_ code: Code, detail: String? = nil, requestID: String? = nil, underlying: (any Error)? = nil) {
        self.code = code
        self.detail = detail
        self.requestID = requestID
        self.underlying = underlying
    }

    /// Whether a retry might succeed: a connection failure or an attempt that timed out.
    public var isTransient: Bool { code == .connectionFailed || code == .timedOut }

    public var description: String {
        var text = "transport error \(code)"
        if let detail { text += ": \(detail)" }
        if let attempts, attempts > 1 { text += " after \(attempts) attempts" }
        if let requestID { text += " (X-Request-Id \(requestID))" }
        return text
    }
}
