public import HTTPTypes

/// What the caller knows about the request being sent, which the HTTP request itself cannot say:
/// a name for logs and whether it is safe to send twice.
///
/// Every ShareKit API call is a `POST`, yet introspection, revocation and reads are safe to
/// repeat while a token grant is not (it may spend a refresh token). Clients bind the context
/// for the duration of a call, and ``RetryMiddleware`` and logging middleware read it:
///
/// ```swift
/// try await OperationContext.$current.withValue(.init(name: "oauth.introspect", isIdempotent: true)) {
///     try await transport.send(request, body: body)
/// }
/// ```
///
/// It is a task-local value, like the trace context of swift-distributed-tracing, so that the
/// ``HTTPTransport/send(_:body:)`` requirement stays one method and middleware written by others
/// keeps working.
public struct OperationContext: Hashable, Sendable {
    /// A stable name for logs and metrics, e.g. `oauth.introspect`.
    public var name: String
    /// Whether sending the request twice has the same effect as sending it once.
    public var isIdempotent: Bool

    public init(name: String, isIdempotent: Bool) {
        self.name = name
        self.isIdempotent = isIdempotent
    }

    /// The context of the request being sent, if its caller bound one.
    @TaskLocal public static var current: OperationContext?

    /// Whether `request` may be sent again: the bound context says so, or, without one, its method
    /// is idempotent by RFC 9110 §9.2.2 (`GET`, `HEAD`, `OPTIONS`, `TRACE`, `PUT`, `DELETE`).
    public static func isIdempotent(_ request: HTTPRequest) -> Bool {
        if let current { return current.isIdempotent }
        switch request.method {
        case .get, .head, .options, .trace, .put, .delete: return true
        default: return false
        }
    }
}
