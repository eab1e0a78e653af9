import ShareModels
import Foundation
import Logging
import ShareSandbox
import ShareSandboxServer
import Testing

@Suite("share-sandbox options and configuration file")
struct SandboxCommandTests {
    static let logger = Logger(label: "test")

    @Test("--client and --partner register clients; partners resolve by id or alias")
    func clientsAndPartners() throws {
        let command = try ShareSandboxCommand.parse([
            "--client", "app:se:cret", "--partner", "fannie-mae=fm:fm-secret", "--partner", "fnma=fm2:x", "--access-token-ttl", "120",
        ])
        let configuration = try command.makeConfiguration(partners: SandboxHarness.partners, logger: Self.logger)
        #expect(configuration.clients.map(\.id) == ["app", "fm", "fm2"])
        #expect(configuration.clients[0].secret == "se:cret")
        #expect(configuration.clients[1].partner == "fannie-mae")
        #expect(configuration.clients[2].partner == "fannie-mae")
        #expect(configuration.accessTokenTTL == 120)
        #expect(!configuration.usesDemoClients)
    }

    @Test("access-token lifetimes per grant: Plaid's documented defaults, set by --access-token-lifetime; the demo clients hold every scope")
    func lifetimesPerGrant() async throws {
        let defaults = try ShareSandboxCommand.parse([]).makeConfiguration(partners: SandboxHarness.partners, logger: Self.logger)
        #expect(defaults.accessTokenTTL == 900)
        #expect(defaults.accessTokenLifetimes.seconds == ["urn:plaid:params:credit:multi-user": 2_591_999])
        #expect(defaults.effectiveClients.allSatisfy { $0.scopes == ScopeSet(Scope.documented) })
        let command = try ShareSandboxCommand.parse([
            "--access-token-lifetime", "client_credentials=60", "--access-token-lifetime", "urn:plaid:params:credit:multi-user=120",
        ])
        let configuration = try command.makeConfiguration(partners: SandboxHarness.partners, logger: Self.logger)
        #expect(configuration.accessTokenLifetimes.lifetime(grantType: .clientCredentials, subjectTokenType: nil, fallback: 900) == 60)
        #expect(
            configuration.accessTokenLifetimes.lifetime(grantType: .tokenExchange, subjectTokenType: .creditMultiUser, fallback: 900) == 120)
        #expect(configuration.accessTokenLifetimes.lifetime(grantType: .refreshToken, subjectTokenType: nil, fallback: 900) == 900)
        #expect(throws: (any Error).self) { try ShareSandboxCommand.parse(["--access-token-lifetime", "password=60"]) }
        #expect(throws: (any Error).self) { try ShareSandboxCommand.parse(["--access-token-lifetime", "client_credentials=0"]) }
        try await SandboxHarness.withSandbox { client in
            let token = try await client.clientCredentials(SandboxHarness.lender)
            #expect(token.integer("expires_in") == 900)
            let dashboard = try await client.clientCredentials(SandboxHarness.lender, scope: "mcp:dashboard")
            #expect(dashboard.status == 400)  // the test lender is registered with the default scopes only
        }
        var demo = SandboxConfiguration(port: 0)
        demo.logger = Self.logger
        try await SandboxHarness.withSandbox(configuration: demo) { client in
            let dashboard = try await client.clientCredentials(
                ClientRegistration(id: SandboxDemo.clientID, secret: SandboxDemo.clientSecret), scope: "mcp:dashboard")
            #expect(dashboard.status == 200, "\(dashboard.bodyText)")
            let plain = try await client.clientCredentials(ClientRegistration(id: SandboxDemo.clientID, secret: SandboxDemo.clientSecret))
            let claims = try await client.authenticated(
                "/oauth/introspect", as: ClientRegistration(id: SandboxDemo.clientID, secret: SandboxDemo.clientSecret),
                ["token": try #require(plain.string("access_token"))])
            #expect(claims.string("scope") == "user:read user:write exchange")
        }
    }

    @Test("an unknown partner names the known ones")
    func unknownPartner() throws {
        let command = try ShareSandboxCommand.parse(["--partner", "equifax=id:secret"])
        #expect {
            try command.makeConfiguration(partners: SandboxHarness.partners, logger: Self.logger)
        } throws: { error in
            "\(error)".contains("fannie-mae")
        }
    }

    @Test("malformed --client values and bad ports are rejected")
    func validation() throws {
        #expect(throws: (any Error).self) { try ShareSandboxCommand.parse(["--port", "70000"]) }
        #expect(throws: (any Error).self) { try ShareSandboxCommand.parse(["--access-token-ttl", "0"]) }
        let command = try ShareSandboxCommand.parse(["--client", "no-colon"])
        #expect(throws: (any Error).self) { try command.makeConfiguration(partners: SandboxHarness.partners, logger: Self.logger) }
    }

    @Test("a configuration file supplies clients, partners, lifetimes and the share-token world")
    func configFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let json = """
            {
              "clients": [{"client_id": "app", "secret": "app-secret", "scopes": "user:read", "grant_types": ["client_credentials"]}],
              "partners": [{"partner": "urn:plaid:params:cra-partner:experian", "client_id": "exp", "secret": "exp-secret"}],
              "access_token_ttl": 300,
              "organizations": [{"id": "org_source", "api_key": "key-1"}, {"id": "org_dest", "api_key": "key-2"}],
              "connections": [{"id": "cxn_1", "source": "org_source", "destination": "org_dest"},
                              {"id": "conn_2", "source": "org_dest", "destination": "org_source"}],
              "records": [{"id": "inq_1", "organization": "org_source", "attributes": {"name": "Ada", "score": 700}}]
            }
            """
        try Data(json.utf8).write(to: URL(fileURLWithPath: path))
        let command = try ShareSandboxCommand.parse(["--config", path, "--data", "/tmp/x.sqlite"])
        let configuration = try command.makeConfiguration(partners: SandboxHarness.partners, logger: Self.logger)
        #expect(configuration.clients.map(\.id) == ["app", "exp"])
        #expect(configuration.clients[0].grantTypes == [.clientCredentials])
        #expect(configuration.clients[1].partner == "experian")
        #expect(configuration.accessTokenTTL == 300)
        #expect(configuration.storage == .sqlite(path: "/tmp/x.sqlite"))
        #expect(configuration.shareTokenSeed.connections.first?.destination == "org_dest")
        #expect(configuration.shareTokenSeed.records.first?.attributes["score"] == .integer(700))
        // Persona's cxn_ prefix and the older conn_ are both accepted; any other is refused at start.
        let directory = try ShareTokenDirectory(seed: configuration.shareTokenSeed)
        #expect(Set(directory.connections.keys.map(\.rawValue)) == ["cxn_1", "conn_2"])
        var wrongPrefix = configuration.shareTokenSeed
        wrongPrefix.connections[0].id = "con_1"
        #expect(throws: ShareTokenSeedError.self) { try ShareTokenDirectory(seed: wrongPrefix) }
    }

    @Test("a broken configuration file is a clear error")
    func brokenConfigFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(#"{"clients": [{"client_id": "app"}]}"#.utf8).write(to: URL(fileURLWithPath: path))
        let command = try ShareSandboxCommand.parse(["--config", path])
        #expect {
            try command.makeConfiguration(partners: SandboxHarness.partners, logger: Self.logger)
        } throws: { error in
            "\(error)".contains("secret")
        }
        // A syntax error names where: Foundation's JSONDecoder says only "not valid JSON".
        try Data("{\n  \"clients\": [\n    {\"client_id\": \"app\",, }\n  ]\n}\n".utf8).write(to: URL(fileURLWithPath: path))
        let syntax = try ShareSandboxCommand.parse(["--config", path])
        #expect {
            try syntax.makeConfiguration(partners: SandboxHarness.partners, logger: Self.logger)
        } throws: { error in
            "\(error)" == "\(path) is not JSON: invalid value at line 3, column 25"
        }
    }

    @Test("the announcement lists client ids and never a secret")
    func announcement() throws {
        let configuration = SandboxConfiguration(partners: SandboxHarness.partners)
        let lines = SandboxAnnouncement.clients(configuration).joined(separator: "\n")
        #expect(lines.contains("demo-client"))
        for client in configuration.effectiveClients { #expect(!lines.contains(client.secret)) }
        #expect(SandboxAnnouncement.ready(host: "127.0.0.1", port: 8080) == "ShareKit sandbox listening on http://127.0.0.1:8080")
    }

    @Test("connection limits: defaults, flags, configuration-file keys (flags win) and validation")
    func connectionLimits() throws {
        let defaults = try ShareSandboxCommand.parse([]).makeConfiguration(partners: SandboxHarness.partners, logger: Self.logger)
        #expect(defaults.connectionLimits == ConnectionLimits())
        #expect(defaults.connectionLimits.maximumConnections == 512)
        #expect(defaults.connectionLimits.headReadTimeout == .seconds(10))
        #expect(defaults.connectionLimits.bodyReadTimeout == .seconds(30))
        #expect(defaults.connectionLimits.idleTimeout == .seconds(60))

        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(#"{"max_connections": 40, "head_timeout": 3, "body_timeout": 4, "idle_timeout": 5}"#.utf8).write(to: URL(fileURLWithPath: path))
        let fromFile = try ShareSandboxCommand.parse(["--config", path, "--idle-timeout", "7"])
            .makeConfiguration(partners: SandboxHarness.partners, logger: Self.logger)
        #expect(
            fromFile.connectionLimits
                == ConnectionLimits(maximumConnections: 40, headReadTimeout: .seconds(3), bodyReadTimeout: .seconds(4), idleTimeout: .seconds(7)))

        let flags = try ShareSandboxCommand.parse(["--max-connections", "9", "--head-timeout", "1", "--body-timeout", "2"])
            .makeConfiguration(partners: SandboxHarness.partners, logger: Self.logger)
        #expect(flags.connectionLimits.maximumConnections == 9)
        #expect(flags.connectionLimits.headReadTimeout == .seconds(1))
        #expect(flags.connectionLimits.bodyReadTimeout == .seconds(2))

        for bad in [["--max-connections", "0"], ["--head-timeout", "0"], ["--body-timeout", "-1"], ["--idle-timeout", "0"]] {
            #expect(throws: (any Error).self, "\(bad)") { try ShareSandboxCommand.parse(bad) }
        }
        try Data(#"{"head_timeout": 0}"#.utf8).write(to: URL(fileURLWithPath: path))
        let zero = try ShareSandboxCommand.parse(["--config", path])
        #expect { try zero.makeConfiguration(partners: SandboxHarness.partners, logger: Self.logger) } throws: { error in
            "\(error)".contains("head_timeout")
        }
    }

    @Test("--webhook-timeout and webhook_timeout set the webhook attempt timeout (the flag wins), positive seconds only")
    func webhookTimeout() throws {
        let defaults = try ShareSandboxCommand.parse([]).makeConfiguration(partners: SandboxHarness.partners, logger: Self.logger)
        #expect(defaults.webhookDelivery.attemptTimeout == .seconds(5))
        let flag = try ShareSandboxCommand.parse(["--webhook-timeout", "2"]).makeConfiguration(partners: SandboxHarness.partners, logger: Self.logger)
        #expect(flag.webhookDelivery.attemptTimeout == .seconds(2))
        #expect(flag.webhookDelivery.claimLease == .seconds(7))

        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(#"{"webhook_timeout": 12}"#.utf8).write(to: URL(fileURLWithPath: path))
        let file = try ShareSandboxCommand.parse(["--config", path]).makeConfiguration(partners: SandboxHarness.partners, logger: Self.logger)
        #expect(file.webhookDelivery.attemptTimeout == .seconds(12))
        let both = try ShareSandboxCommand.parse(["--config", path, "--webhook-timeout", "3"])
            .makeConfiguration(partners: SandboxHarness.partners, logger: Self.logger)
        #expect(both.webhookDelivery.attemptTimeout == .seconds(3))

        for bad in [["--webhook-timeout", "0"], ["--webhook-timeout", "-2"], ["--webhook-timeout", "soon"]] {
            #expect(throws: (any Error).self, "\(bad)") { try ShareSandboxCommand.parse(bad) }
        }
        try Data(#"{"webhook_timeout": 0}"#.utf8).write(to: URL(fileURLWithPath: path))
        let zero = try ShareSandboxCommand.parse(["--config", path])
        #expect { try zero.makeConfiguration(partners: SandboxHarness.partners, logger: Self.logger) } throws: { error in
            "\(error)".contains("webhook_timeout")
        }
        #expect(ShareSandboxCommand.helpMessage().contains("--webhook-timeout <SECONDS>"))
    }

    @Test("the configuration file docs/sandbox.md shows decodes, with the values it says")
    func documentedConfigurationFile() throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: repository.appendingPathComponent("docs/sandbox.md"), encoding: .utf8)
        let section = try #require(text.range(of: "## Configuration file\n"))
        let start = try #require(text.range(of: "```json\n", range: section.upperBound..<text.endIndex))
        let end = try #require(text.range(of: "\n```", range: start.upperBound..<text.endIndex))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(text[start.upperBound..<end.lowerBound].utf8).write(to: URL(fileURLWithPath: path))
        let file = try SandboxConfigFile.load(path: path)
        #expect(file.clients.map(\.clientID) == ["my-app"])
        #expect(file.maxConnections == 512 && file.headTimeout == 10 && file.bodyTimeout == 30 && file.idleTimeout == 60)
        #expect(file.webhookTimeout == 5)
        #expect(file.controlPlane == true)
        #expect(file.shareTokenSeed.organizations.map(\.id) == ["org_lender"])
    }

    @Test("the connection cap is lowered to fit under the open-file limit, keeping a reserve")
    func connectionCapFitsFileLimit() {
        #expect(ShareSandboxCommand.connectionCap(512, fileDescriptorLimit: 1_048_576) == 512)
        #expect(ShareSandboxCommand.connectionCap(512, fileDescriptorLimit: 256) == 256 - Int(ShareSandboxCommand.reservedFileDescriptors))
        #expect(ShareSandboxCommand.connectionCap(512, fileDescriptorLimit: 10) == 1)
        #expect(ShareSandboxCommand.connectionCap(512, fileDescriptorLimit: nil) == 512)
    }

    @Test("--help documents the connection limits and their defaults")
    func helpNamesLimits() {
        let help = ShareSandboxCommand.helpMessage()
        for option in ["--max-connections", "--head-timeout", "--body-timeout", "--idle-timeout"] {
            #expect(help.contains(option), "\(option)")
        }
        #expect(help.contains("default 512"))
    }
}
