public import HTTPTypes

/// Sends one HTTP request and returns the response: the seam between ShareKit's clients and an
/// HTTP stack.
///
/// The request carries its own scheme, authority and path, so a transport needs no base URL.
/// `ShareTransportAHC` implements it on AsyncHTTPClient, `ShareTransportNIO` directly on SwiftNIO;
/// tests implement it in memory. Cross-cutting behaviour (request ids, timeouts, retries, logging)
/// is added with ``TransportMiddleware`` and ``HTTPTransport/with(_:)`` rather than inside a
/// transport.
///
/// A transport reports a failure to reach the server or to read its answer as a
/// ``TransportError`` (``TransportError/Code/connectionFailed`` lets ``RetryMiddleware`` retry
/// it); an HTTP error status is a normal response, not an error.
public protocol HTTPTransport: Sendable {
    /// Sends `request` with `body` and returns the response head and body.
    func send(_ request: HTTPRequest, body: HTTPBody?) async throws -> (HTTPResponse, HTTPBody?)
}

/// The rest of a middleware chain, as seen by a ``TransportMiddleware``.
public typealias TransportNext = @Sendable (HTTPRequest, HTTPBody?) async throws -> (HTTPResponse, HTTPBody?)

/// Intercepts the requests of an ``HTTPTransport``: may change a request, call `next` zero or more
/// times, and change or replace the response.
///
/// ```swift
/// struct UserAgentMiddleware: TransportMiddleware {
///     func intercept(_ request: HTTPRequest, body: HTTPBody?, next: TransportNext) async throws -> (HTTPResponse, HTTPBody?) {
///         var request = request
///         request.headerFields[.userAgent] = "ShareKit"
///         return try await next(request, body)
///     }
/// }
/// ```
public protocol TransportMiddleware: Sendable {
    /// Handles `request`, passing it on through `next`.
    func intercept(_ request: HTTPRequest, body: HTTPBody?, next: TransportNext) async throws -> (HTTPResponse, HTTPBody?)
}

extension HTTPTransport {
    /// This transport behind `middlewares`; the first middleware sees each request first.
    public func with(_ middlewares: [any TransportMiddleware]) -> ComposedTransport {
        ComposedTransport(self, middlewares: middlewares)
    }
}
