import Foundation
import ShareSandbox
import Testing

/// An exchange of a refresh token and the revocation of that token, sent at the same moment:
/// once both are acknowledged, nothing the exchange issued may stay active.
@Suite("exchange racing revocation")
struct ExchangeRevocationRaceTests {
    static let trials = 200

    enum StoreKind: String, CaseIterable, Sendable { case memory, sqlite }

    @Test("after an acknowledged revoke of the subject, the exchanged tokens are inactive or the exchange failed", arguments: StoreKind.allCases)
    func exchangeRacingRevoke(store: StoreKind) async throws {
        let folder = try PersistenceTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let storage: SandboxConfiguration.Storage =
            store == .memory ? .memory : .sqlite(path: folder.appendingPathComponent("race.sqlite").path)
        let configuration = SandboxHarness.configuration(clock: ManualClock(), storage: storage)
        try await SandboxHarness.withSandbox(configuration: configuration) { client in
            for trial in 0..<Self.trials {
                let grant = try await client.clientCredentials(SandboxHarness.lender, scope: "user:read exchange")
                let refresh = try #require(grant.string("refresh_token"))
                async let exchanged = client.exchange(
                    SandboxHarness.lender, subject: refresh, type: TokenExchangeTests.oauthUserToken, audience: "other-app")
                async let revoked = client.revoke(SandboxHarness.lender, refresh)
                let (exchange, revoke) = try await (exchanged, revoked)
                #expect(revoke.status == 200, "trial \(trial): \(revoke.bodyText)")
                #expect(try await !client.isActive(SandboxHarness.lender, refresh), "trial \(trial)")
                if exchange.status == 200 {
                    let access = try #require(exchange.string("access_token"))
                    let childRefresh = try #require(exchange.string("refresh_token"))
                    #expect(try await !client.isActive(SandboxHarness.otherApp, access), "trial \(trial): exchanged access token survived")
                    #expect(try await !client.isActive(SandboxHarness.otherApp, childRefresh), "trial \(trial): exchanged refresh token survived")
                } else {
                    #expect(exchange.status == 400 && exchange.error == "invalid_grant", "trial \(trial): \(exchange.bodyText)")
                }
            }
        }
    }
}
