import Foundation
import ShareSandbox
import Testing

/// A grant deriving tokens from a refresh token (an exchange, a rotation) and the revocation
/// of that token, sent at the same moment: once both are acknowledged, nothing the grant issued
/// may stay active.
@Suite("derived grants racing revocation")
struct ExchangeRevocationRaceTests {
    static let trials = 200

    @Test("after an acknowledged revoke of the subject, the exchanged tokens are inactive or the exchange failed", arguments: StoreKind.allCases)
    func exchangeRacingRevoke(store: StoreKind) async throws {
        let folder = try PersistenceTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let configuration = SandboxHarness.configuration(clock: ManualClock(), storage: store.storage(in: folder))
        try await SandboxHarness.withSandbox(configuration: configuration) { client in
            for trial in 0..<Self.trials {
                try await Self.exchangeRacingRevoke(trial: trial, exchangingAt: client, revokingAt: client)
            }
        }
    }

    /// One trial: a new refresh token is exchanged at `exchanging` while it is revoked at
    /// `revoking` (the same sandbox, or two on one database). Once both are answered, the revoke
    /// succeeded and neither the token nor anything the exchange issued is active; or the exchange
    /// failed as `invalid_grant`.
    static func exchangeRacingRevoke(trial: Int, exchangingAt exchanging: SandboxTestClient, revokingAt revoking: SandboxTestClient)
        async throws
    {
        let grant = try await exchanging.clientCredentials(SandboxHarness.lender, scope: "user:read exchange")
        let refresh = try #require(grant.string("refresh_token"))
        async let exchanged = exchanging.exchange(
            SandboxHarness.lender, subject: refresh, type: TokenExchangeTests.oauthUserToken, audience: "other-app")
        async let revoked = revoking.revoke(SandboxHarness.lender, refresh)
        let (exchange, revoke) = try await (exchanged, revoked)
        #expect(revoke.status == 200, "trial \(trial): \(revoke.bodyText)")
        #expect(try await !exchanging.isActive(SandboxHarness.lender, refresh), "trial \(trial)")
        if exchange.status == 200 {
            let access = try #require(exchange.string("access_token"))
            let childRefresh = try #require(exchange.string("refresh_token"))
            #expect(try await !revoking.isActive(SandboxHarness.otherApp, access), "trial \(trial): exchanged access token survived")
            #expect(try await !revoking.isActive(SandboxHarness.otherApp, childRefresh), "trial \(trial): exchanged refresh token survived")
        } else {
            #expect(exchange.status == 400 && exchange.error == "invalid_grant", "trial \(trial): \(exchange.bodyText)")
        }
    }

    @Test("after an acknowledged revoke of a refresh token, the pair rotated from it is inactive or the rotation failed", arguments: StoreKind.allCases)
    func rotationRacingRevoke(store: StoreKind) async throws {
        let folder = try PersistenceTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let configuration = SandboxHarness.configuration(clock: ManualClock(), storage: store.storage(in: folder))
        try await SandboxHarness.withSandbox(configuration: configuration) { client in
            for trial in 0..<Self.trials {
                let grant = try await client.clientCredentials(SandboxHarness.lender)
                let refresh = try #require(grant.string("refresh_token"))
                async let rotated = client.refresh(SandboxHarness.lender, refresh)
                async let revoked = client.revoke(SandboxHarness.lender, refresh)
                let (rotation, revoke) = try await (rotated, revoked)
                #expect(revoke.status == 200, "trial \(trial): \(revoke.bodyText)")
                if rotation.status == 200 {
                    let access = try #require(rotation.string("access_token"))
                    let newRefresh = try #require(rotation.string("refresh_token"))
                    #expect(try await !client.isActive(SandboxHarness.lender, access), "trial \(trial): rotated access token survived")
                    #expect(try await !client.isActive(SandboxHarness.lender, newRefresh), "trial \(trial): rotated refresh token survived")
                } else {
                    #expect(rotation.status == 400 && rotation.error == "invalid_grant", "trial \(trial): \(rotation.bodyText)")
                }
            }
        }
    }
}
