public import HTTPTypes
public import NIOCore
import NIOHTTP1
import NIOPosix
public import ShareTransport

/// An `HTTPTransport` written directly on SwiftNIO: HTTP/1.1 keep-alive connections pooled per
/// scheme, host and port, each request written on the event loop that owns its connection.
///
/// ```swift
/// try await NIOHTTPTransport.withTransport { transport in  // on NIO's shared event loops
///     let client = OAuthClient(environment: .sandbox, credentials: credentials, transport: transport)
///     _ = try await client.introspect(token)
/// }
/// ```
///
/// **Why it is hand-written.** AsyncHTTPClient runs every request through a transaction state
/// machine, a connection-pool state machine, request preparation and a tracing span, and hands it
/// between Swift tasks and event loops several times. For an API client that sends many small
/// requests to one host that machinery is most of the cost: in `share-bench introspect` (see
/// docs/client.md) ShareKit's own code was under a tenth of the profile behind `AHCTransport`.
/// Here a request costs one hop onto the connection's event loop, one promise-like continuation,
/// and one timer on that loop (cancelled when the answer is complete); the pool is a locked
/// dictionary of idle connections. Measured with `share-bench introspect` (16 requests in flight,
/// same run, same server): 14,131 requests/s against 8,617 for `AHCTransport` (1.6×) on the default
/// executor, and 16,714 against 7,387 (2.3×) with Swift concurrency on NIO's event loops, where a
/// task's next request is written without any thread hop (docs/client.md has the full table).
///
/// **When to use which.** `AHCTransport` (ShareTransportAHC) remains the general-purpose choice:
/// HTTP/2, proxies, streamed response bodies, custom TLS, redirects handled by a maintained
/// client. Choose this transport for high request rates to a few HTTP/1.1 hosts with small
/// buffered answers.
///
/// What it does:
/// - Response bodies are buffered, up to ``Configuration/maximumResponseBodyBytes`` (larger ones
///   throw `TransportError.bodyTooLarge`). A streamed request body is read into memory
///   before it is sent.
/// - Redirects are never followed: a redirect is returned as it is, so credentials never go to
///   another host.
/// - A connection whose response says `Connection: close`, that fails, times out or is cancelled
///   is closed, never reused. Idle connections are closed after ``Configuration/idleTimeout``.
/// - At most ``Configuration/maximumConnectionsPerHost`` connections per host; further requests
///   wait for one to be free.
/// - It enforces `TransportDeadline` (`DeadlineEnforcingTransport`): when the published deadline
///   passes first, the request is cut off and the deadline's own error is thrown; a response that
///   stays silent for ``Configuration/readTimeout`` throws `TransportError.timedOut`.
/// - `https` goes through NIOSSL with the system's trust roots and hostname verification.
/// - Errors are `TransportError`s (or `CancellationError`), and never hold header values or
///   bodies.
///
/// Create one per process (or configuration), share it, and call ``shutdown()`` when done. The
/// event loop group belongs to the caller (NIO's shared singleton by default) and is left running.
public final class NIOHTTPTransport: DeadlineEnforcingTransport, ShuttingDownTransport {
    /// How the transport connects and reads.
    public struct Configuration: Sendable {
        /// Time allowed to open a TCP connection. Default 10 seconds. (A TLS handshake counts
        /// against ``readTimeout``.)
        public var connectTimeout: Duration
        /// Longest silence while waiting for or reading a response. Default 30 seconds.
        public var readTimeout: Duration
        /// How long an idle pooled connection is kept open. Default 60 seconds.
        public var idleTimeout: Duration
        /// Most concurrent HTTP/1.1 connections per scheme, host and port. Default 8.
        public var maximumConnectionsPerHost: Int
        /// The most bytes a response body may hold. Default 10 MiB.
        public var maximumResponseBodyBytes: Int

        public init(
            connectTimeout: Duration = .seconds(10),
            readTimeout: Duration = .seconds(30),
            idleTimeout: Duration = .seconds(60),
            maximumConnectionsPerHost: Int = 8,
            maximumResponseBodyBytes: Int = 10 << 20
        ) {
            self.connectTimeout = connectTimeout
            self.readTimeout = readTimeout
            self.idleTimeout = idleTimeout
            self.maximumConnectionsPerHost = maximumConnectionsPerHost
            self.maximumResponseBodyBytes = maximumResponseBodyBytes
        }
    }

    /// How the transport connects and reads.
    public let configuration: Configuration
    private let pool: ConnectionPool

    /// Runs `body` with a new transport and shuts it down when `body` returns or throws.
    ///
    /// - Parameters:
    ///   - configuration: How the transport connects and reads.
    ///   - eventLoopGroup: Where its connections run; NIO's shared group by default, left running.
    ///   - isolation: The actor `body` runs on; the caller's by default.
    ///   - body: The work to do with the transport.
    public static func withTransport<Return>(
        configuration: Configuration = .init(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (NIOHTTPTransport) async throws -> Return
    ) async throws -> Return {
        try await withTransport(NIOHTTPTransport(configuration: configuration, eventLoopGroup: eventLoopGroup), body)
    }

    /// A transport whose connections run on `eventLoopGroup` (NIO's shared group by default), which
    /// the caller keeps running. Call ``shutdown()`` when done.
    public init(configuration: Configuration = .init(), eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.configuration = configuration
        pool = ConnectionPool(configuration: configuration, group: eventLoopGroup)
    }

    /// Closes every connection; requests in flight or waiting fail, and later ones throw
    /// `TransportError.connectionFailed`.
    public func shutdown() async throws {
        await pool.shutdown()
    }

    public func send(_ request: HTTPRequest, body: HTTPBody?) async throws -> (HTTPResponse, HTTPBody?) {
        let target = try RequestTarget(request)
        var bytes: ByteBuffer?
        if let body {
            bytes = if let buffered = body.bufferedBytes {
                ByteBuffer(bytes: buffered)
            } else {
                ByteBuffer(bytes: try await body.collect(upTo: .max))
            }
        }
        let head = HTTPRequestHead(request, authority: target.authority, bodyLength: bytes?.readableBytes)

        // The published attempt deadline, if any, bounds waiting, connecting and reading.
        let limit = TransportDeadline.current.map { published in
            let left = ContinuousClock.now.duration(to: published.instant)
            return ExchangeLimit(deadline: NIODeadline.now() + TimeAmount(left), error: published.error, left: left)
        }
        if let limit, limit.left <= .zero { throw limit.error }
        try Task.checkCancellation()

        let connection = try await pool.connection(for: target.key, limit: limit)
        let answer = try await connection.exchange(head, body: bytes, limit: limit)
        let response = HTTPResponse(answer.head)
        var responseBody = answer.body ?? ByteBuffer()
        return (response, HTTPBody(responseBody.readBytes(length: responseBody.readableBytes) ?? []))
    }
}

/// The time limit a published `TransportDeadline` puts on one exchange.
struct ExchangeLimit: Sendable {
    /// When the exchange must be complete, on NIO's clock.
    var deadline: NIODeadline
    /// What to throw when it passes.
    var error: TransportError
    /// The time left when the request was sent.
    var left: Duration
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
