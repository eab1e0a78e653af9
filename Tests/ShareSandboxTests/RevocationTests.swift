import ShareSandbox
import Testing

@Suite("revocation")
struct RevocationTests {
    @Test("revoking a refresh token revokes its access token and everything derived from it, exchanged tokens included")
    func cascade() async throws {
        try await SandboxHarness.withSandbox { client in
            let grant = try await client.clientCredentials(SandboxHarness.lender, scope: "user:read exchange")
            let root = try #require(grant.string("refresh_token"))
            let rotated = try await client.refresh(SandboxHarness.lender, root)
            let rotatedRefresh = try #require(rotated.string("refresh_token"))
            let exchanged = try await client.exchange(
                SandboxHarness.lender, subject: rotatedRefresh, type: TokenExchangeTests.oauthUserToken, audience: "other-app")
            let exchangedRefresh = try #require(exchanged.string("refresh_token"))
            let secondHop = try await client.refresh(SandboxHarness.otherApp, exchangedRefresh)
            #expect(secondHop.status == 200)
            let below = [
                try #require(grant.string("access_token")), try #require(rotated.string("access_token")), rotatedRefresh,
                try #require(exchanged.string("access_token")), try #require(secondHop.string("access_token")),
                try #require(secondHop.string("refresh_token")),
            ]
            for token in below {
                let seenByLender = try await client.isActive(SandboxHarness.lender, token)
                let seenByOtherApp = try await client.isActive(SandboxHarness.otherApp, token)
                #expect(seenByLender || seenByOtherApp)
            }

            #expect(try await client.revoke(SandboxHarness.lender, root).status == 200)
            for token in below {
                #expect(try await !client.isActive(SandboxHarness.lender, token))
                #expect(try await !client.isActive(SandboxHarness.otherApp, token))
            }
        }
    }

    @Test("revoking a rotated refresh token spares its ancestors")
    func cascadeGoesDownOnly() async throws {
        try await SandboxHarness.withSandbox { client in
            let grant = try await client.clientCredentials(SandboxHarness.lender)
            let rotated = try await client.refresh(SandboxHarness.lender, try #require(grant.string("refresh_token")))
            _ = try await client.revoke(SandboxHarness.lender, try #require(rotated.string("refresh_token")))
            #expect(try await !client.isActive(SandboxHarness.lender, try #require(rotated.string("access_token"))))
            #expect(try await client.isActive(SandboxHarness.lender, try #require(grant.string("access_token"))))
        }
    }

    @Test("revoking an access token leaves its refresh token")
    func accessOnly() async throws {
        try await SandboxHarness.withSandbox { client in
            let grant = try await client.clientCredentials(SandboxHarness.lender)
            _ = try await client.revoke(SandboxHarness.lender, try #require(grant.string("access_token")))
            #expect(try await !client.isActive(SandboxHarness.lender, try #require(grant.string("access_token"))))
            #expect(try await client.isActive(SandboxHarness.lender, try #require(grant.string("refresh_token"))))
        }
    }

    @Test("an unknown token still gets 200 with a request_id (RFC 7009)")
    func unknownToken() async throws {
        try await SandboxHarness.withSandbox { client in
            let answer = try await client.revoke(SandboxHarness.lender, "pdr-never-issued")
            #expect(answer.status == 200)
            #expect(answer.keys == ["request_id"])
        }
    }

    @Test("a stranger's revocation answers 200 and changes nothing")
    func strangerCannotRevoke() async throws {
        try await SandboxHarness.withSandbox { client in
            let grant = try await client.clientCredentials(SandboxHarness.lender)
            let access = try #require(grant.string("access_token"))
            #expect(try await client.revoke(SandboxHarness.stranger, access).status == 200)
            #expect(try await client.isActive(SandboxHarness.lender, access))
        }
    }

    @Test("a partner in the audience may revoke the token shared with it")
    func partnerRevokes() async throws {
        try await SandboxHarness.withSandbox { client in
            let user = try await client.createUser(SandboxHarness.lender)
            let shared = try await client.exchange(
                SandboxHarness.lender, subject: user, type: TokenExchangeTests.multiUser, audience: TokenExchangeTests.fannieURN)
            let access = try #require(shared.string("access_token"))
            _ = try await client.revoke(SandboxHarness.fannie, access)
            #expect(try await !client.isActive(SandboxHarness.lender, access))
        }
    }

    @Test("revocation requires client authentication")
    func requiresAuthentication() async throws {
        try await SandboxHarness.withSandbox { client in
            let answer = try await client.json("/oauth/revoke", ["token": "pda-anything"])
            #expect(answer.status == 401)
            #expect(answer.error == "invalid_client")
        }
    }
}
