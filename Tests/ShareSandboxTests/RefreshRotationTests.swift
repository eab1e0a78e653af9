import ShareSandbox
import Testing

@Suite("refresh_token rotation and reuse detection")
struct RefreshRotationTests {
    @Test("refreshing returns a new pair and spends the old refresh token")
    func rotation() async throws {
        try await SandboxHarness.withSandbox { client in
            let first = try await client.clientCredentials(SandboxHarness.lender)
            let refresh = try #require(first.string("refresh_token"))
            let second = try await client.refresh(SandboxHarness.lender, refresh)
            #expect(second.status == 200)
            let newRefresh = try #require(second.string("refresh_token"))
            #expect(newRefresh != refresh)
            #expect(second.string("access_token") != first.string("access_token"))
            #expect(try await client.isActive(SandboxHarness.lender, try #require(second.string("access_token"))))
            // The new refresh token works in turn.
            let third = try await client.refresh(SandboxHarness.lender, newRefresh)
            #expect(third.status == 200)
        }
    }

    @Test("presenting a spent refresh token is invalid_grant and revokes the whole family")
    func reuseRevokesFamily() async throws {
        try await SandboxHarness.withSandbox { client in
            let first = try await client.clientCredentials(SandboxHarness.lender)
            let refresh = try #require(first.string("refresh_token"))
            let second = try await client.refresh(SandboxHarness.lender, refresh)
            let third = try await client.refresh(SandboxHarness.lender, try #require(second.string("refresh_token")))
            let familyTokens = [
                try #require(first.string("access_token")), try #require(second.string("access_token")),
                try #require(third.string("access_token")), try #require(third.string("refresh_token")),
            ]
            for token in familyTokens { #expect(try await client.isActive(SandboxHarness.lender, token)) }

            let reuse = try await client.refresh(SandboxHarness.lender, refresh)
            #expect(reuse.status == 400)
            #expect(reuse.error == "invalid_grant")
            for token in familyTokens { #expect(try await !client.isActive(SandboxHarness.lender, token)) }
            // The newest refresh token of the family no longer refreshes either.
            let after = try await client.refresh(SandboxHarness.lender, try #require(third.string("refresh_token")))
            #expect(after.error == "invalid_grant")
        }
    }

    @Test("reuse does not touch other families")
    func reuseSparesOtherFamilies() async throws {
        try await SandboxHarness.withSandbox { client in
            let victim = try await client.clientCredentials(SandboxHarness.lender)
            let bystander = try await client.clientCredentials(SandboxHarness.lender)
            let refresh = try #require(victim.string("refresh_token"))
            _ = try await client.refresh(SandboxHarness.lender, refresh)
            _ = try await client.refresh(SandboxHarness.lender, refresh)
            #expect(try await client.isActive(SandboxHarness.lender, try #require(bystander.string("access_token"))))
        }
    }

    @Test("a refresh may repeat or narrow the scope, as authlib sends it, but not widen it")
    func refreshScope() async throws {
        try await SandboxHarness.withSandbox { client in
            let first = try await client.clientCredentials(SandboxHarness.lender, scope: "user:read exchange")
            let same = try await client.refresh(SandboxHarness.lender, try #require(first.string("refresh_token")), scope: "user:read exchange")
            #expect(same.status == 200)
            let narrowed = try await client.refresh(SandboxHarness.lender, try #require(same.string("refresh_token")), scope: "user:read")
            #expect(narrowed.status == 200)
            let claims = try await client.introspect(SandboxHarness.lender, try #require(narrowed.string("access_token")))
            #expect(claims.string("scope") == "user:read")
            // The refresh token keeps the original scope (RFC 6749 §6).
            let refreshClaims = try await client.introspect(SandboxHarness.lender, try #require(narrowed.string("refresh_token")))
            #expect(refreshClaims.string("scope") == "user:read exchange")
            let widened = try await client.refresh(SandboxHarness.lender, try #require(narrowed.string("refresh_token")), scope: "user:write")
            #expect(widened.error == "invalid_scope")
        }
    }

    @Test("an expired refresh token is invalid_grant")
    func expiredRefresh() async throws {
        let clock = ManualClock()
        try await SandboxHarness.withSandbox(clock: clock) { client in
            let first = try await client.clientCredentials(SandboxHarness.lender)
            clock.advance(seconds: 3600)
            let answer = try await client.refresh(SandboxHarness.lender, try #require(first.string("refresh_token")))
            #expect(answer.error == "invalid_grant")
        }
    }

    @Test("another client cannot refresh a token, and that is not treated as reuse")
    func foreignRefresh() async throws {
        try await SandboxHarness.withSandbox { client in
            let first = try await client.clientCredentials(SandboxHarness.lender)
            let refresh = try #require(first.string("refresh_token"))
            let foreign = try await client.refresh(SandboxHarness.stranger, refresh)
            #expect(foreign.error == "invalid_grant")
            #expect(try await client.refresh(SandboxHarness.lender, refresh).status == 200)
        }
    }

    @Test("an access token is not a refresh token")
    func accessTokenIsNotRefresh() async throws {
        try await SandboxHarness.withSandbox { client in
            let first = try await client.clientCredentials(SandboxHarness.lender)
            let answer = try await client.refresh(SandboxHarness.lender, try #require(first.string("access_token")))
            #expect(answer.error == "invalid_grant")
        }
    }
}
