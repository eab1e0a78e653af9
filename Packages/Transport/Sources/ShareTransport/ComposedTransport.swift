public import HTTPTypes

/// A transport behind a chain of middleware: the first middleware sees each request first and
/// each response last. Built by ``HTTPTransport/with(_:)``.
///
/// The chain is assembled once, when the value is created, so sending costs one closure call per
/// middleware.
public struct ComposedTransport: HTTPTransport {
    /// The middleware, outermost first.
    public let middlewares: [any TransportMiddleware]
    private let chain: TransportNext

    /// `transport` behind `middlewares`, outermost first.
    ///
    /// On a ``DeadlineEnforcingTransport``, ``DeadlineMiddleware`` and ``TimeoutMiddleware`` leave
    /// the enforcing of their limits to the transport (see ``TransportDeadline``); middleware placed
    /// between them and the transport then runs within the same limits but is not cut short by them.
    public init(_ transport: some HTTPTransport, middlewares: [any TransportMiddleware]) {
        self.middlewares = middlewares
        let enforcing = transport is any DeadlineEnforcingTransport
        var next: TransportNext = { request, body in try await transport.send(request, body: body) }
        for original in middlewares.reversed() {
            let middleware = enforcing ? Self.relyingOnTransport(original) : original
            let inner = next
            next = { request, body in try await middleware.intercept(request, body: body, next: inner) }
        }
        chain = next
    }

    private static func relyingOnTransport(_ middleware: any TransportMiddleware) -> any TransportMiddleware {
        guard let limiting = middleware as? any TimeLimitingMiddleware else { return middleware }
        return limiting.relyingOnTransport()
    }

    public func send(_ request: HTTPRequest, body: HTTPBody?) async throws -> (HTTPResponse, HTTPBody?) {
        try await chain(request, body)
    }
}
