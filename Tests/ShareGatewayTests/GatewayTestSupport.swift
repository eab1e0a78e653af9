import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import ShareCredentials

@testable import ShareGateway

/// Credentials the test gateways inject; tests check these reach the upstream and that the
/// client's never do.
enum TestCredentials {
    static let clientID = "gateway-client-id"
    static let secret = "gateway-secret-0123456789"
    static let shareAPIKey = "share-api-key-0123456789"
    static let upstream = UpstreamCredentials(client: ClientCredentials(clientID: clientID, secret: secret), apiKey: APIKey(shareAPIKey))
}

/// A gateway configuration for tests: loopback, no rate limit, no access log.
func testConfiguration(_ adjust: (inout GatewayConfiguration) -> Void = { _ in }) -> GatewayConfiguration {
    var configuration = GatewayConfiguration()
    configuration.upstream = .url("http://127.0.0.1:1")
    configuration.port = 0
    configuration.rateLimit = .unlimited
    configuration.accessLog = false
    configuration.credentials = TestCredentials.upstream
    adjust(&configuration)
    return configuration
}

/// Runs `body` against a gateway (through Hummingbird's live test client, so requests cross the real channel pipeline) in front of `upstream`.
func withGateway<Value: Sendable>(
    upstream: String,
    _ configuration: GatewayConfiguration = testConfiguration(),
    metrics: GatewayMetrics = GatewayMetrics(),
    _ body: @Sendable @escaping (any TestClientProtocol) async throws -> Value
) async throws -> Value {
    let components = try GatewayComponents(configuration: configuration, upstreamBaseURL: upstream, metrics: metrics)
    let app = buildApplication(components: components, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    return try await app.test(.live) { client in try await body(client) }
}

extension ByteBuffer {
    static func json(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }
}
