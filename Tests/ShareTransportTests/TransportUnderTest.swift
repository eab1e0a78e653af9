import ShareTransport
import ShareTransportAHC
import ShareTransportNIO
import Testing

/// A transport the live tests can shut down.
protocol LiveTestTransport: HTTPTransport {
    func shutdown() async throws
}

extension AHCTransport: LiveTestTransport {}
extension NIOHTTPTransport: LiveTestTransport {}

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

    func make(_ options: Options = Options()) -> any LiveTestTransport {
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

    /// Runs `body` with a new transport and shuts it down afterwards, whatever happens.
    @discardableResult
    func withTransport<Value>(
        _ options: Options = Options(),
        _ body: (any LiveTestTransport) async throws -> Value
    ) async throws -> Value {
        let transport = make(options)
        let value: Value
        do {
            value = try await body(transport)
        } catch {
            try? await transport.shutdown()
            throw error
        }
        try await transport.shutdown()
        return value
    }
}
