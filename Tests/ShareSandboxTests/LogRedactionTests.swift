import Foundation
import Hummingbird
import HummingbirdTesting
import InMemoryLogging
import Logging
import ShareModels
import ShareSandbox
import Testing

/// Record attributes are personal data, and secrets, API keys and tokens are credentials: none
/// of them reaches a log line at any level, nor the description of a value that holds them.
@Suite("log redaction")
struct LogRedactionTests {
    /// Values that must never be logged: record attributes, secrets, API keys, webhook secrets.
    static let ssn = "078-05-1120"
    static let firstName = "Zelphinea"
    static let lastName = "Quorrington"
    static let webhookSecret = "whsec-never-logged-4711"

    static func seed() -> ShareTokenSeed {
        var seed = ShareTokenHarness.seed()
        seed.records = seed.records.map { record in
            var record = record
            if record.id == ShareTokenHarness.inquiry {
                record.attributes = [
                    "ssn": .string(ssn), "name-first": .string(firstName), "name-last": .string(lastName),
                    "address": .object(["street": .string("1 \(lastName) Lane")]),
                ]
            }
            return record
        }
        seed.organizations = seed.organizations.map { organization in
            var organization = organization
            if organization.id == ShareTokenHarness.destination.id {
                // Unreachable on purpose: failed deliveries are logged too.
                organization.webhookURL = "http://127.0.0.1:9/hook"
                organization.webhookSecret = webhookSecret
            }
            return organization
        }
        return seed
    }

    @Test("at trace level, a live sandbox with records logs no attribute value, secret, API key or token")
    func nothingPersonalIsLogged() async throws {
        var handler = InMemoryLogHandler()
        handler.logLevel = .trace
        let logs = handler
        var configuration = ShareTokenHarness.configuration(clock: ManualClock(), seed: Self.seed())
        configuration.logger = Logger(label: "log-redaction", factory: { _ in logs })
        configuration.webhookDelivery = ShareTokenHarness.fastDelivery
        let issued = TokenBox()
        let app = try await SandboxServer.buildApplication(configuration: configuration)
        try await app.test(.live) { testClient in
            let client = SandboxTestClient(client: testClient)
            let grant = try await client.clientCredentials(SandboxHarness.lender, scope: "user:read exchange")
            let access = try #require(grant.string("access_token"))
            let refresh = try #require(grant.string("refresh_token"))
            _ = try await client.introspect(SandboxHarness.lender, access)
            let rotated = try await client.refresh(SandboxHarness.lender, refresh)
            _ = try await client.refresh(SandboxHarness.lender, refresh)  // reuse: logged as a notice
            _ = try await client.revoke(SandboxHarness.lender, try #require(rotated.string("refresh_token")))
            _ = try await client.createUser(SandboxHarness.lender, clientUserID: Self.lastName)
            _ = try await client.send("/oauth/token", headers: [.contentType: "application/json"], body: Array("{\"secret\":".utf8))
            let shareToken = try #require(try await client.createShareToken().dataID)
            let redeemed = try await client.redeemAndSettle(shareToken)
            #expect(redeemed.status == 200)
            let copy = try #require(redeemed.relationship("destination"))
            #expect(try await client.api("/api/v1/inquiries/\(copy)", as: ShareTokenHarness.destination).bodyText.contains(Self.ssn))
            _ = try await client.api("/api/v1/inquiries/\(ShareTokenHarness.inquiry)/complete", method: .post, as: ShareTokenHarness.source)
            _ = try await client.api("/api/v1/events", as: ShareTokenHarness.destination)
            issued.set(["access": access, "refresh": refresh, "rotated": try #require(rotated.string("access_token"))])
        }

        let forbidden = [
            Self.ssn, Self.firstName, Self.lastName, Self.webhookSecret, SandboxHarness.lender.secret, ShareTokenHarness.source.apiKey,
            ShareTokenHarness.destination.apiKey,
        ] + issued.get().values
        let entries = logs.entries
        #expect(!entries.isEmpty, "the test must see the sandbox's log lines")
        #expect(entries.contains { $0.level <= .debug }, "the test must see debug and trace lines")
        // Counted, not shown: a failure must not print the values it found.
        let leakingLines = entries.filter { entry in
            let text = "\(entry.message) \(entry.metadata) \(entry.error.map { "\($0)" } ?? "")"
            return forbidden.contains { text.contains($0) }
        }
        #expect(leakingLines.isEmpty, "\(leakingLines.count) log lines carry a record attribute, secret, API key or token")
    }

    @Test("the descriptions, debug descriptions and dumps of values holding records name no attribute value or secret")
    func descriptionsAreRedacted() async throws {
        var configuration = ShareTokenHarness.configuration(clock: ManualClock(), seed: Self.seed())
        configuration.logger = Logger(label: "log-redaction", factory: { _ in SwiftLogNoOpLogHandler() })
        let services = try await SandboxServices(configuration: configuration)
        let directory = try ShareTokenDirectory(seed: Self.seed())
        let values: [Any] = [
            configuration, Self.seed(), directory, directory.records, services.webhookDelivery, services.shareTokens,
            try await services.store.record(id: SourceID(ShareTokenHarness.inquiry)) as Any,
        ]
        for value in values {
            var dumped = ""
            dump(value, to: &dumped)
            let texts = [String(describing: value), String(reflecting: value), dumped]
            let leaks = texts.filter { text in [Self.ssn, Self.firstName, Self.lastName, Self.webhookSecret].contains { text.contains($0) } }
            #expect(leaks.isEmpty, "\(type(of: value)) shows a record attribute or secret")
        }
    }
}
