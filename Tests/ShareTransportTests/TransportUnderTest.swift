import ShareTransport
import ShareTransportAHC
import ShareTransportNIO
import Testing

/// A transport the live tests can shut down.

/// The transports the live tests run against, each built from the same options.
enum TransportUnderTest: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case asyncHTTPClient = "AHCTransport"
    case nio = "NIOHTTPTransport"

    /// What both transports' configurations have in common.
    struct Options {
        var connectTimeout = Duration.seconds(10)
        var readTimeout = Duration.seconds(30)
        var idleTimeout = Duration.seconds(60)
        var maximumConnectionsPerHost = 8
        var maximumResponseBodyBytes = 10 << 20
    }

    var testDescription: String { rawValue }

    func make(_ options: Options = Options()) -> any ShuttingDownTransport {
        switch self {
        case .asyncHTTPClient:
            AHCTransport(
                configuration: .init(
                    connectTimeout: options.connectTimeout,
                    readTimeout: options.readTimeout,
                    idleTimeout: options.idleTimeout,
                    maximumConnectionsPerHost: options.maximumConnectionsPerHost,
                    responseBody: .buffered(upTo: options.maximumResponseBodyBytes)
                )
            )
        case .nio:
            NIOHTTPTransport(
                configuration: .init(
                    connectTimeout: options.connectTimeout,
                    readTimeout: options.readTimeout,
                    idleTimeout: options.idleTimeout,
                    maximumConnectionsPerHost: options.maximumConnectionsPerHost,
                    maximumResponseBodyBytes: options.maximumResponseBodyBytes
                )
            )
        }
    }

    /// Runs `body` with a new transport and shuts it down afterwards, whatever happens
    /// (``ShuttingDownTransport/withTransport(_:isolation:_:)``).
    @discardableResult
    func withTransport<Value>(
        _ options: Options = Options(),
        _ body: (any ShuttingDownTransport) async throws -> Value
    ) async throws -> Value {
        try await Self.scoped(make(options), body)
    }

    private static func scoped<Transport: ShuttingDownTransport, Value>(
        _ transport: Transport, _ body: (any ShuttingDownTransport) async throws -> Value
    ) async throws -> Value {
        try await Transport.withTransport(transport) { try await body($0) }
    }
}
