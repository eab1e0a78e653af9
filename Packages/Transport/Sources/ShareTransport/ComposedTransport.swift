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
    public init(_ transport: some HTTPTransport, middlewares: [any TransportMiddleware]) {
        self.middlewares = middlewares
        var next: TransportNext = { request, body in try await transport.send(request, body: body) }
        for middleware in middlewares.reversed() {
            let inner = next
            next = { request, body in try await middleware.intercept(request, body: body, next: inner) }
        }
        chain = next
    }

    public func send(_ request: HTTPRequest, body: HTTPBody?) async throws -> (HTTPResponse, HTTPBody?) {
        try await chain(request, body)
    }
}
