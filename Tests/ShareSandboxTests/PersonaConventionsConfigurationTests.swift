import Foundation
import Logging
import ShareModels
import ShareSandbox
import ShareSandboxServer
import Testing

/// The configuration of Persona's conventions: the per-key rate limit (`api_rate_limit`,
/// `--api-rate-limit`) and webhook-secret rotation (`previous_webhook_secret`).
@Suite("share-sandbox: rate limit and webhook-secret rotation settings")
struct PersonaConventionsConfigurationTests {
    static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    static func configuration(_ arguments: [String], file: String? = nil) throws -> SandboxConfiguration {
        var arguments = arguments
        if let file {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-\(UUID().uuidString).json").path
            try Data(file.utf8).write(to: URL(fileURLWithPath: path))
            arguments += ["--config", path]
        }
        return try ShareSandboxCommand.parse(arguments).makeConfiguration(partners: SandboxHarness.partners, logger: logger)
    }

    @Test("the rate limit is Persona's 300 by default, set by api_rate_limit, and --api-rate-limit wins")
    func rateLimit() throws {
        #expect(try Self.configuration([]).apiRateLimit == 300)
        #expect(try Self.configuration([], file: #"{"api_rate_limit": 50}"#).apiRateLimit == 50)
        #expect(try Self.configuration(["--api-rate-limit", "7"], file: #"{"api_rate_limit": 50}"#).apiRateLimit == 7)
        #expect(throws: (any Error).self) { try ShareSandboxCommand.parse(["--api-rate-limit", "0"]) }
        #expect { try Self.configuration([], file: #"{"api_rate_limit": 0}"#) } throws: { "\($0)".contains("api_rate_limit") }
    }

    @Test("previous_webhook_secret is read, must differ from webhook_secret, and never shows in descriptions")
    func rotation() throws {
        let file = #"""
            {"organizations": [
              {"id": "org_a", "api_key": "key-a", "webhook_url": "http://127.0.0.1:9/hook", "webhook_secret": "new-secret", "previous_webhook_secret": "old-secret"},
              {"id": "org_b", "api_key": "key-b"}
            ]}
            """#
        let configuration = try Self.configuration([], file: file)
        let organization = try #require(configuration.shareTokenSeed.organizations.first)
        #expect(organization.previousWebhookSecret == "old-secret")
        #expect(!"\(organization)".contains("old-secret"))
        var dumped = ""
        dump(organization, to: &dumped)
        #expect(!dumped.contains("old-secret"))

        for (previous, secret) in [("same", "same"), ("", "new")] {
            let seed = ShareTokenSeed(organizations: [
                .init(id: "org_a", apiKey: "k", webhookURL: "http://127.0.0.1:9/hook", webhookSecret: secret, previousWebhookSecret: previous)
            ])
            #expect(throws: ShareTokenSeedError.self) { try ShareTokenDirectory(seed: seed) }
        }
        let withoutCurrent = ShareTokenSeed(organizations: [.init(id: "org_a", apiKey: "k", previousWebhookSecret: "old")])
        #expect(throws: ShareTokenSeedError.self) { try ShareTokenDirectory(seed: withoutCurrent) }
    }
}
