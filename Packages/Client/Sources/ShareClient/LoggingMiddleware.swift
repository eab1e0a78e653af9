public import HTTPTypes
public import Logging
public import ShareTransport

/// Logs each attempt of a request: the operation, method, path, `X-Request-Id`, status and
/// duration, as structured metadata.
///
/// It never logs header values other than the request id, nor bodies, nor query strings, so no
/// secret or token can reach a log line through it. Requests are logged at `trace`, responses and
/// failures at `debug`. ShareTransport depends on swift-http-types alone, so logging lives here,
/// next to the clients that take a `Logger`.
public struct LoggingMiddleware: TransportMiddleware {
    public let logger: Logger

    public init(logger: Logger) { self.logger = logger }

    public func intercept(_ request: HTTPRequest, body: HTTPBody?, next: TransportNext) async throws -> (HTTPResponse, HTTPBody?) {
        // Nothing is logged above `debug`: skip building the metadata at all.
        guard logger.logLevel <= .debug else { return try await next(request, body) }
        var metadata: Logger.Metadata = [
            "http.method": "\(request.method.rawValue)",
            "http.path": "\(request.path.map { String($0.prefix { $0 != "?" }) } ?? "/")",
        ]
        if let operation = OperationContext.current?.name { metadata["operation"] = "\(operation)" }
        if let id = request.headerFields[.requestID] { metadata["request.id"] = "\(id)" }
        logger.trace("sending request", metadata: metadata)
        let started = ContinuousClock.now
        do {
            let (response, responseBody) = try await next(request, body)
            metadata["http.status"] = "\(response.status.code)"
            metadata["duration_ms"] = "\(started.duration(to: .now).milliseconds)"
            logger.debug("received response", metadata: metadata)
            return (response, responseBody)
        } catch {
            metadata["error"] = "\(APIRequestSender.loggable(error))"
            metadata["duration_ms"] = "\(started.duration(to: .now).milliseconds)"
            logger.debug("request attempt failed", metadata: metadata)
            throw error
        }
    }
}
