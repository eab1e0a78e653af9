import ArgumentParser
import Foundation
import ShareCredentials
import Testing

@testable import ShareGateway

@Suite("Gateway configuration")
struct GatewayConfigurationTests {
    func resolve(_ arguments: [String], environment: [String: String] = [:]) async throws -> GatewayConfiguration {
        let command = try GatewayCommand.parse(arguments)
        return try await command.resolveConfiguration(environment: environment)
    }

    @Test("defaults match the documented ones")
    func defaults() async throws {
        let configuration = try await resolve([])
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 8081)
        #expect(configuration.upstream == .embedded)
        #expect(configuration.allowedPaths == .default)
        #expect(configuration.maximumBodySize == 65536)
        #expect(configuration.servesConsole)
        #expect(configuration.cors.allowedOrigins.isEmpty)
    }

    @Test("flags set every option")
    func flags() async throws {
        let configuration = try await resolve([
            "--host", "0.0.0.0", "--port", "9000", "--upstream", "http://127.0.0.1:8080/",
            "--allow-origin", "https://a.example", "--allow-origin", "https://b.example",
            "--frontend-key", "0123456789abcdef", "--allow-path", "/oauth/token", "--allow-audience", "experian",
            "--max-body-size", "1000", "--upstream-timeout", "2.5", "--rate-limit", "5",
        ], environment: ["PLAID_CLIENT_ID": "gateway-id", "PLAID_SECRET": "gateway-secret"])
        #expect(configuration.host == "0.0.0.0")
        #expect(configuration.port == 9000)
        #expect(configuration.upstream == .url("http://127.0.0.1:8080"))
        #expect(configuration.cors.allowedOrigins == ["https://a.example", "https://b.example"])
        #expect(configuration.frontendKeys == ["0123456789abcdef"])
        #expect(configuration.allowedPaths.description == "/oauth/token")
        #expect(configuration.allowedAudiences == ["experian"])
        #expect(configuration.maximumBodySize == 1000)
        #expect(configuration.upstreamTimeout == .milliseconds(2500))
        #expect(configuration.rateLimit.ratePerSecond == 5)
        #expect(configuration.rateLimit.burst == 10)
        #expect(!configuration.servesConsole)
    }

    @Test("the environment supplies options and credentials; flags win")
    func environment() async throws {
        let environment = [
            "SHARE_GATEWAY_PORT": "9100", "SHARE_GATEWAY_ALLOW_ORIGIN": "https://a.example,https://b.example",
            "SHARE_GATEWAY_UPSTREAM": "production", "SHARE_GATEWAY_UPSTREAM_CA": "/etc/ssl/private-ca.pem",
            "PLAID_CLIENT_ID": "env-client", "PLAID_SECRET": "env-secret", "SHARE_API_KEY": "env-key",
        ]
        let configuration = try await resolve(["--port", "9200"], environment: environment)
        #expect(configuration.port == 9200)
        #expect(configuration.upstream == .production)
        #expect(configuration.upstreamCAFile == "/etc/ssl/private-ca.pem")
        #expect(configuration.cors.allowedOrigins == ["https://a.example", "https://b.example"])
        #expect(configuration.credentials == UpstreamCredentials(client: ClientCredentials(clientID: "env-client", secret: "env-secret"), apiKey: APIKey("env-key")))
        #expect(!configuration.credentials.description.contains("env-secret"))
        #expect(!configuration.credentials.description.contains("env-key"))
    }

    @Test("a JSON config file supplies options below the environment")
    func configFile() async throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gateway-\(UUID().uuidString).json")
        try Data(#"{"port": 9300, "upstream": "sandbox", "allowAudience": ["fannie-mae"], "rateLimit": 0, "plaid": {"client_id": "file-client", "secret": "file-secret"}}"#.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let configuration = try await resolve(["--config", url.path], environment: ["SHARE_GATEWAY_UPSTREAM": "production"])
        #expect(configuration.port == 9300)
        #expect(configuration.upstream == .production)
        #expect(configuration.allowedAudiences == ["fannie-mae"])
        #expect(configuration.rateLimit.ratePerSecond == 0)
        #expect(configuration.credentials.client == ClientCredentials(clientID: "file-client", secret: "file-secret"))
    }

    @Test("connection limits and the metrics token come from flags, the environment or the file, with the documented defaults")
    func connectionLimitsAndMetricsToken() async throws {
        let defaults = try await resolve([])
        #expect(defaults.connectionLimits == ClientConnectionLimits())
        #expect(defaults.connectionLimits.headTimeout == .seconds(10))
        #expect(defaults.connectionLimits.bodyTimeout == .seconds(30))
        #expect(defaults.connectionLimits.idleTimeout == .seconds(30))
        #expect(defaults.connectionLimits.maximumConnections == nil)
        #expect(defaults.metricsToken == nil)

        let flags = try await resolve([
            "--head-timeout", "2.5", "--body-timeout", "4", "--idle-timeout", "6", "--max-connections", "100",
            "--max-connections-per-client", "10", "--metrics-token", "metrics-token-0123456789", "--allow-path", "GET,POST /api/v1/things…",
        ])
        #expect(flags.connectionLimits.headTimeout == .milliseconds(2500))
        #expect(flags.connectionLimits.bodyTimeout == .seconds(4))
        #expect(flags.connectionLimits.idleTimeout == .seconds(6))
        #expect(flags.connectionLimits.maximumConnections == 100)
        #expect(flags.connectionLimits.maximumConnectionsPerClient == 10)
        #expect(flags.metricsToken == "metrics-token-0123456789")
        #expect(flags.allowedPaths.entries.first?.methods == ["GET", "HEAD", "POST"])

        let environment = try await resolve([], environment: [
            "SHARE_GATEWAY_HEAD_TIMEOUT": "3", "SHARE_GATEWAY_MAX_CONNECTIONS": "200", "SHARE_GATEWAY_METRICS_TOKEN": "env-metrics-token-0123",
            "SHARE_GATEWAY_MAX_CONNECTIONS_PER_CLIENT": "20", "SHARE_GATEWAY_IDLE_TIMEOUT": "7", "SHARE_GATEWAY_BODY_TIMEOUT": "8",
        ])
        #expect(environment.connectionLimits.headTimeout == .seconds(3))
        #expect(environment.connectionLimits.bodyTimeout == .seconds(8))
        #expect(environment.connectionLimits.idleTimeout == .seconds(7))
        #expect(environment.connectionLimits.maximumConnections == 200)
        #expect(environment.connectionLimits.maximumConnectionsPerClient == 20)
        #expect(environment.metricsToken == "env-metrics-token-0123")

        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gateway-\(UUID().uuidString).json")
        try Data(#"{"headTimeout": 1.5, "idleTimeout": 9, "maxConnections": 300, "metricsToken": "file-metrics-token-0123"}"#.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let file = try await resolve(["--config", url.path])
        #expect(file.connectionLimits.headTimeout == .milliseconds(1500))
        #expect(file.connectionLimits.idleTimeout == .seconds(9))
        #expect(file.connectionLimits.maximumConnections == 300)
        #expect(file.metricsToken == "file-metrics-token-0123")
    }

    @Test("a non-loopback host needs a frontend key or --insecure-public")
    func publicBindingRefused() async throws {
        await #expect(throws: GatewayConfigurationError.self) { try await resolve(["--host", "0.0.0.0"]) }
        _ = try await resolve(["--host", "0.0.0.0", "--insecure-public"])
        _ = try await resolve(["--host", "0.0.0.0", "--frontend-key", "0123456789abcdef"])
        _ = try await resolve(["--host", "127.0.0.2"])
        _ = try await resolve(["--host", "::1"])
    }

    @Test("invalid values are refused with a clear message", arguments: [
        ["--allow-origin", "*"], ["--allow-path", "/a/../b"], ["--frontend-key", "short"], ["--upstream", "ftp://x"],
        ["--max-body-size", "0"], ["--upstream-timeout=-1"], ["--log-level", "loud"], ["--head-timeout", "0"], ["--body-timeout=-1"],
        ["--idle-timeout", "0"], ["--max-connections", "0"], ["--max-connections-per-client", "0"], ["--metrics-token", "short"],
        ["--allow-path", "CONNECT /x"], ["--allow-path", "get /x"],
    ])
    func invalidValuesRefused(arguments: [String]) async {
        await #expect(throws: GatewayConfigurationError.self) { try await resolve(arguments) }
    }

    @Test("a remote upstream needs credentials to inject; the embedded one has its own")
    func remoteUpstreamNeedsCredentials() async throws {
        for upstream in ["sandbox", "production", "http://127.0.0.1:8080"] {
            await #expect {
                try await resolve(["--upstream", upstream])
            } throws: { error in
                String(describing: error).contains("needs credentials") && String(describing: error).contains("PLAID_CLIENT_ID")
            }
            _ = try await resolve(["--upstream", upstream], environment: ["PLAID_CLIENT_ID": "id", "PLAID_SECRET": "secret"])
            _ = try await resolve(["--upstream", upstream], environment: ["SHARE_API_KEY": "key"])
        }
        _ = try await resolve([])
    }

    @Test("a value of the wrong type in the environment or the file is refused, not skipped for the next source")
    func wrongTypeRefused() async throws {
        await #expect {
            try await resolve(["--port", "9000"], environment: ["SHARE_GATEWAY_PORT": "abc"])
        } throws: { error in
            String(describing: error) == "SHARE_GATEWAY_PORT=abc: must be an integer"
        }
        await #expect {
            try await resolve([], environment: ["SHARE_GATEWAY_METRICS_TOKEN": "short"])
        } throws: { error in
            // Named, never shown: the token is a secret.
            String(describing: error) == "SHARE_GATEWAY_METRICS_TOKEN is refused: --metrics-token must be at least 16 characters"
        }
    }

    @Test("a config file that is not JSON is refused with the line and column, and never its text")
    func configFileSyntaxError() async throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gateway-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data("{\n  \"plaid\": {\"secret\": \"s3cr3t-value\",, }\n}\n".utf8).write(to: url)
        await #expect {
            try await resolve(["--config", url.path])
        } throws: { error in
            String(describing: error) == "config file \(url.path) is not JSON: invalid value at line 2, column 38"
        }
    }

    @Test("an unknown --allow-audience partner stops the gateway, naming the known ones")
    func unknownAudience() throws {
        var configuration = GatewayConfiguration()
        configuration.upstream = .sandbox
        configuration.allowedAudiences = ["equifax"]
        #expect {
            _ = try GatewayComponents(configuration: configuration)
        } throws: { error in
            String(describing: error).contains("experian")
        }
    }
}
