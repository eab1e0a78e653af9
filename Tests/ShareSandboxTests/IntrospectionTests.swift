import ShareSandbox
import Testing

@Suite("introspection visibility")
struct IntrospectionTests {
    /// The exact inactive answer: `active: false` and `request_id`, nothing else.
    static func expectInactive(_ answer: SandboxAnswer, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(answer.status == 200, sourceLocation: sourceLocation)
        #expect(answer.keys == ["active", "request_id"], sourceLocation: sourceLocation)
        #expect(answer["active"] == .bool(false), sourceLocation: sourceLocation)
    }

    @Test("a stranger learns nothing about another client's token")
    func strangerSeesInactive() async throws {
        try await SandboxHarness.withSandbox { client in
            let grant = try await client.clientCredentials(SandboxHarness.lender)
            Self.expectInactive(try await client.introspect(SandboxHarness.stranger, try #require(grant.string("access_token"))))
            Self.expectInactive(try await client.introspect(SandboxHarness.stranger, try #require(grant.string("refresh_token"))))
        }
    }

    @Test("unknown, expired and revoked tokens are inactive")
    func inactiveTokens() async throws {
        let clock = ManualClock()
        try await SandboxHarness.withSandbox(clock: clock) { client in
            Self.expectInactive(try await client.introspect(SandboxHarness.lender, "pda-unknown"))
            let revoked = try await client.clientCredentials(SandboxHarness.lender)
            _ = try await client.revoke(SandboxHarness.lender, try #require(revoked.string("access_token")))
            Self.expectInactive(try await client.introspect(SandboxHarness.lender, try #require(revoked.string("access_token"))))
            let expiring = try await client.clientCredentials(SandboxHarness.lender)
            clock.advance(seconds: 900)
            Self.expectInactive(try await client.introspect(SandboxHarness.lender, try #require(expiring.string("access_token"))))
        }
    }

    @Test("a refresh token spent by rotation introspects inactive; its successor and the access token issued with it stay active")
    func spentRefreshTokenIsInactive() async throws {
        try await SandboxHarness.withSandbox { client in
            let grant = try await client.clientCredentials(SandboxHarness.lender)
            let spent = try #require(grant.string("refresh_token"))
            let rotated = try await client.refresh(SandboxHarness.lender, spent)
            #expect(rotated.status == 200)
            Self.expectInactive(try await client.introspect(SandboxHarness.lender, spent))
            #expect(try await client.isActive(SandboxHarness.lender, try #require(rotated.string("refresh_token"))))
            #expect(try await client.isActive(SandboxHarness.lender, try #require(grant.string("access_token"))))
        }
    }

    @Test("a refresh token introspects as refresh_token with its own expiry")
    func refreshTokenClaims() async throws {
        try await SandboxHarness.withSandbox { client in
            let grant = try await client.clientCredentials(SandboxHarness.lender)
            let claims = try await client.introspect(SandboxHarness.lender, try #require(grant.string("refresh_token")))
            #expect(claims["active"] == .bool(true))
            #expect(claims.string("token_type") == "refresh_token")
            #expect(claims["exp"] == .integer(1_800_003_600))
        }
    }

    @Test("introspection requires client authentication")
    func requiresAuthentication() async throws {
        try await SandboxHarness.withSandbox { client in
            let answer = try await client.json("/oauth/introspect", ["token": "pda-anything"])
            #expect(answer.status == 401)
            #expect(answer.error == "invalid_client")
        }
    }
}
