public import AsyncHTTPClient
public import HTTPTypes
public import Logging
import NIOCore
import NIOHTTP1
public import ShareTransport

/// An `HTTPTransport` on AsyncHTTPClient: one shared `HTTPClient`, whose pool keeps connections
/// alive between requests.
///
/// ```swift
/// try await AHCTransport.withTransport { transport in  // shut down when the closure ends
///     let client = OAuthClient(environment: .sandbox, credentials: credentials, transport: transport)
///     _ = try await client.clientCredentials()
/// }
/// ```
///
/// Create one transport per process (or per configuration) and share it: every request made
/// through it reuses the same connection pool. Call ``shutdown()`` when done; a transport built on
/// a caller's `HTTPClient` (`init(client:configuration:logger:)`) leaves that client running.
///
/// Redirects are never followed: an API answer that redirects is returned as it is, so that
/// credentials are never re-sent to another host.
///
/// It enforces `TransportDeadline` itself (`DeadlineEnforcingTransport`): the deadline of a
/// `DeadlineMiddleware` or `TimeoutMiddleware` above it becomes AsyncHTTPClient's own deadline for
/// the request, with no timer task racing it.
public final class AHCTransport: DeadlineEnforcingTransport, ShuttingDownTransport {
    /// How the transport connects and reads.
    public struct Configuration: Sendable {
        /// How a response body is handed over.
        public struct ResponseBody: Hashable, Sendable {
            /// The most bytes a buffered body may hold; `nil` for a streamed body.
            public let maximumBufferedBytes: Int?

            /// Read the whole body before returning, up to `maximumBytes` (larger bodies throw
            /// `TransportError.bodyTooLarge`). Per-attempt timeouts then cover the body too.
            public static func buffered(upTo maximumBytes: Int) -> ResponseBody { ResponseBody(maximumBufferedBytes: maximumBytes) }
            /// Return as soon as the head arrives and stream the body (for proxies).
            public static let streamed = ResponseBody(maximumBufferedBytes: nil)
        }

        /// Time allowed to open a connection. Default 10 seconds.
        public var connectTimeout: Duration
        /// Longest silence while reading a response. Default 30 seconds.
        public var readTimeout: Duration
        /// Longest a request may take as a whole inside AsyncHTTPClient. Default 60 seconds.
        public var requestTimeout: Duration
        /// How long an idle pooled connection is kept open. Default 60 seconds.
        public var idleTimeout: Duration
        /// Soft limit of concurrent HTTP/1.1 connections per host. Default 8.
        public var maximumConnectionsPerHost: Int
        /// How response bodies are handed over. Default: buffered up to 10 MiB.
        public var responseBody: ResponseBody
        /// Whether a connection that cannot be opened (refused, unreachable) is tried again, with
        /// back-off, until ``connectTimeout`` has passed — AsyncHTTPClient's
        /// `retryConnectionEstablishment`. Default `true`, as AsyncHTTPClient recommends for
        /// services: nothing has been sent yet, so it is safe even for a request that must not be
        /// repeated, and connection set-up is often briefly flaky at scale. `false` fails such a
        /// request at once, which an interactive tool wants: a mistyped port is reported
        /// immediately, not after the connect timeout of every attempt of the `RetryPolicy`.
        public var retriesConnectionEstablishment: Bool

        public init(
            connectTimeout: Duration = .seconds(10),
            readTimeout: Duration = .seconds(30),
            requestTimeout: Duration = .seconds(60),
            idleTimeout: Duration = .seconds(60),
            maximumConnectionsPerHost: Int = 8,
            responseBody: ResponseBody = .buffered(upTo: 10 << 20),
            retriesConnectionEstablishment: Bool = true
        ) {
            self.connectTimeout = connectTimeout
            self.readTimeout = readTimeout
            self.requestTimeout = requestTimeout
            self.idleTimeout = idleTimeout
            self.maximumConnectionsPerHost = maximumConnectionsPerHost
            self.responseBody = responseBody
            self.retriesConnectionEstablishment = retriesConnectionEstablishment
        }

        var httpClientConfiguration: HTTPClient.Configuration {
            var configuration = HTTPClient.Configuration(
                redirectConfiguration: .disallow,
                timeout: .init(connect: .init(connectTimeout), read: .init(readTimeout)),
                connectionPool: .init(
                    idleTimeout: .init(idleTimeout),
                    concurrentHTTP1ConnectionsPerHostSoftLimit: maximumConnectionsPerHost
                )
            )
            configuration.httpVersion = .automatic
            configuration.connectionPool.retryConnectionEstablishment = retriesConnectionEstablishment
            return configuration
        }
    }

    /// The AsyncHTTPClient that sends every request.
    public let client: HTTPClient
    /// How the transport connects and reads.
    public let configuration: Configuration
    private let ownsClient: Bool
    private let logger: Logger?

    /// Runs `body` with a new transport and shuts it down when `body` returns or throws.
    ///
    /// - Parameters:
    ///   - configuration: How the transport connects and reads.
    ///   - logger: Receives AsyncHTTPClient's background activity; none by default.
    ///   - isolation: The actor `body` runs on; the caller's by default.
    ///   - body: The work to do with the transport.
    public static func withTransport<Return>(
        configuration: Configuration = .init(),
        logger: Logger? = nil,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (AHCTransport) async throws -> Return
    ) async throws -> Return {
        try await withTransport(AHCTransport(configuration: configuration, logger: logger), body)
    }

    /// A transport with its own `HTTPClient` on the shared event loop group; call ``shutdown()``
    /// when done.
    ///
    /// - Parameters:
    ///   - configuration: How the transport connects and reads.
    ///   - logger: Receives AsyncHTTPClient's own (trace and debug) logs; none by default.
    public init(configuration: Configuration = .init(), logger: Logger? = nil) {
        self.configuration = configuration
        self.logger = logger
        client = HTTPClient(
            eventLoopGroup: HTTPClient.defaultEventLoopGroup,
            configuration: configuration.httpClientConfiguration,
            backgroundActivityLogger: logger ?? Logger(label: "sharekit.transport.ahc", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        ownsClient = true
    }

    /// A transport on `client`, which the caller keeps running and shuts down. Only
    /// ``Configuration/requestTimeout`` and ``Configuration/responseBody`` apply; the rest is the
    /// client's own configuration.
    public init(client: HTTPClient, configuration: Configuration = .init(), logger: Logger? = nil) {
        self.client = client
        self.configuration = configuration
        self.logger = logger
        ownsClient = false
    }

    /// Closes the pooled connections of a transport that owns its client; otherwise does nothing.
    public func shutdown() async throws {
        if ownsClient { try await client.shutdown() }
    }

    public func send(_ request: HTTPRequest, body: HTTPBody?) async throws -> (HTTPResponse, HTTPBody?) {
        let outgoing = try Self.clientRequest(request, body: body)
        // The earlier of the published attempt deadline and the transport's own request timeout.
        let published = TransportDeadline.current
        let now = ContinuousClock.now
        let ownTimeout = configuration.requestTimeout
        let binding = published.flatMap { now.duration(to: $0.instant) < ownTimeout ? $0 : nil }
        let timeLeft = binding.map { now.duration(to: $0.instant) } ?? ownTimeout
        guard timeLeft > .zero else { throw binding?.error ?? TransportError(.timedOut, detail: "no time left for the request") }
        let deadline = NIODeadline.now() + TimeAmount(timeLeft)
        let response: HTTPClientResponse
        do {
            response = try await client.execute(outgoing, deadline: deadline, logger: logger)
        } catch {
            throw Self.transportError(error, deadline: binding)
        }
        let head = Self.response(response)
        let length = response.headers.first(name: "content-length").flatMap(Int.init)
        guard let limit = configuration.responseBody.maximumBufferedBytes else {
            let chunks = response.body.map { buffer in ArraySlice(buffer.readableBytesView) }
            return (head, HTTPBody(streaming: chunks, length: length))
        }
        if let length, length > limit {
            throw TransportError(.bodyTooLarge, detail: "response of \(length) bytes, limit \(limit)")
        }
        do {
            var buffer = try await response.body.collect(upTo: limit)
            return (head, HTTPBody(buffer.readBytes(length: buffer.readableBytes) ?? []))
        } catch let error as NIOTooManyBytesError {
            throw TransportError(.bodyTooLarge, detail: "response over \(limit) bytes", underlying: error)
        } catch {
            throw Self.transportError(error, deadline: binding)
        }
    }

    static func clientRequest(_ request: HTTPRequest, body: HTTPBody?) throws -> HTTPClientRequest {
        guard let scheme = request.scheme, let authority = request.authority else {
            throw TransportError(.invalidRequest, detail: "the request has no scheme or authority")
        }
        var outgoing = HTTPClientRequest(url: "\(scheme)://\(authority)\(request.path ?? "/")")
        outgoing.method = HTTPMethod(rawValue: request.method.rawValue)
        outgoing.headers.reserveCapacity(request.headerFields.count)
        for field in request.headerFields {
            outgoing.headers.add(name: field.name.rawName, value: field.value)
        }
        if let body {
            if let bytes = body.bufferedBytes {
                outgoing.body = .bytes(bytes)
            } else {
                let buffers = body.map { chunk in ByteBuffer(bytes: chunk) }
                outgoing.body = .stream(buffers, length: body.length.map { .known(Int64($0)) } ?? .unknown)
            }
        }
        return outgoing
    }

    static func response(_ response: HTTPClientResponse) -> HTTPResponse {
        var fields = HTTPFields()
        fields.reserveCapacity(response.headers.count)
        for (name, value) in response.headers {
            if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) }
        }
        return HTTPResponse(
            status: .init(code: Int(response.status.code), reasonPhrase: response.status.reasonPhrase),
            headerFields: fields
        )
    }

    /// `error` as a `TransportError`; a passed deadline is reported as `deadline`'s error when a
    /// published `TransportDeadline` was the binding one.
    static func transportError(_ error: any Error, deadline: TransportDeadline? = nil) -> any Error {
        switch error {
        case is CancellationError, is TransportError:
            return error
        case let error as HTTPClientError where error == .cancelled:
            return CancellationError()
        case let error as HTTPClientError where error == .readTimeout || error == .deadlineExceeded:
            if error == .deadlineExceeded, let deadline { return deadline.error }
            return TransportError(.timedOut, detail: "AsyncHTTPClient: \(error)", underlying: error)
        default:
            return TransportError(.connectionFailed, detail: "\(error)", underlying: error)
        }
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
