import ShareSandbox
import Testing

@Suite("token exchange")
struct TokenExchangeTests {
    static let multiUser = "urn:plaid:params:credit:multi-user"
    static let userToken = "urn:plaid:params:tokens:user"
    static let oauthUserToken = "urn:plaid:params:oauth:user-token"
    static let fannieURN = "urn:plaid:params:cra-partner:fannie-mae"
    static let experianURN = "urn:plaid:params:cra-partner:experian"

    @Test("credit:multi-user to one partner: the partner's client sees the token")
    func singlePartner() async throws {
        try await SandboxHarness.withSandbox { client in
            let user = try await client.createUser(SandboxHarness.lender)
            let answer = try await client.exchange(SandboxHarness.lender, subject: user, type: Self.multiUser, audience: Self.fannieURN, scope: "user:read")
            #expect(answer.status == 200)
            let access = try #require(answer.string("access_token"))
            let claims = try await client.introspect(SandboxHarness.fannie, access)
            #expect(claims["active"] == .bool(true))
            #expect(claims.string("aud") == Self.fannieURN)
            #expect(claims.string("sub") == user)
            #expect(claims.string("user_id") == user)
            #expect(claims.string("client_id") == "lender")
            #expect(claims.string("scope") == "user:read")
            #expect(try await !client.isActive(SandboxHarness.experian, access))
        }
    }

    @Test("a multi-party audience: every party introspects with its own credentials, others see nothing")
    func multiParty() async throws {
        try await SandboxHarness.withSandbox { client in
            let user = try await client.createUser(SandboxHarness.lender)
            let audience = "\(Self.experianURN),\(Self.fannieURN),other-app"
            let answer = try await client.exchange(SandboxHarness.lender, subject: user, type: Self.multiUser, audience: audience)
            #expect(answer.status == 200)
            let access = try #require(answer.string("access_token"))
            for party in [SandboxHarness.lender, SandboxHarness.experian, SandboxHarness.fannie, SandboxHarness.otherApp] {
                let claims = try await client.introspect(party, access)
                #expect(claims["active"] == .bool(true), "party \(party.id)")
                #expect(claims.string("aud") == audience)
            }
            let outsider = try await client.introspect(SandboxHarness.stranger, access)
            #expect(outsider.json == ["active": .bool(false), "request_id": try #require(outsider["request_id"])])
        }
    }

    @Test("the scope defaults to user:read for partners")
    func defaultPartnerScope() async throws {
        try await SandboxHarness.withSandbox { client in
            let user = try await client.createUser(SandboxHarness.lender)
            let answer = try await client.exchange(SandboxHarness.lender, subject: user, type: Self.multiUser, audience: Self.fannieURN)
            let claims = try await client.introspect(SandboxHarness.fannie, try #require(answer.string("access_token")))
            #expect(claims.string("scope") == "user:read")
        }
    }

    @Test("a partner refuses scopes it does not accept: invalid_scope")
    func partnerScopeRule() async throws {
        try await SandboxHarness.withSandbox { client in
            let user = try await client.createUser(SandboxHarness.lender)
            let answer = try await client.exchange(
                SandboxHarness.lender, subject: user, type: Self.multiUser, audience: Self.fannieURN, scope: "user:write")
            #expect(answer.status == 400)
            #expect(answer.error == "invalid_scope")
        }
    }

    @Test("an unregistered partner URN or an unknown client id in the audience is invalid_request")
    func unknownAudience() async throws {
        try await SandboxHarness.withSandbox { client in
            let user = try await client.createUser(SandboxHarness.lender)
            let partner = try await client.exchange(
                SandboxHarness.lender, subject: user, type: Self.multiUser, audience: "urn:plaid:params:cra-partner:equifax")
            #expect(partner.error == "invalid_request")
            #expect(partner.string("error_description")?.contains("fannie-mae") == true)
            let unknownClient = try await client.exchange(
                SandboxHarness.lender, subject: user, type: Self.multiUser, audience: "\(Self.fannieURN),nobody")
            #expect(unknownClient.error == "invalid_request")
            #expect(unknownClient.status == 400)
        }
    }

    @Test("a user id of another client, or no user at all, is invalid_grant")
    func foreignUser() async throws {
        try await SandboxHarness.withSandbox { client in
            let user = try await client.createUser(SandboxHarness.otherApp)
            let foreign = try await client.exchange(SandboxHarness.lender, subject: user, type: Self.multiUser, audience: Self.fannieURN)
            #expect(foreign.error == "invalid_grant")
            let missing = try await client.exchange(
                SandboxHarness.lender, subject: "usr_doesnotexist", type: Self.multiUser, audience: Self.fannieURN)
            #expect(missing.error == "invalid_grant")
        }
    }

    @Test("tokens:user: the audience must be the caller's own client id")
    func userTokenAudience() async throws {
        try await SandboxHarness.withSandbox { client in
            let user = try await client.createUser(SandboxHarness.lender)
            let ok = try await client.exchange(SandboxHarness.lender, subject: user, type: Self.userToken, audience: "lender")
            #expect(ok.status == 200)
            let claims = try await client.introspect(SandboxHarness.lender, try #require(ok.string("access_token")))
            #expect(claims.string("aud") == "lender")
            #expect(claims.string("user_id") == user)
            let other = try await client.exchange(SandboxHarness.lender, subject: user, type: Self.userToken, audience: "other-app")
            #expect(other.error == "invalid_request")
        }
    }

    @Test("oauth:user-token: a refresh token holding exchange becomes a token of another client, in the same family")
    func oauthUserToken() async throws {
        try await SandboxHarness.withSandbox { client in
            let grant = try await client.clientCredentials(SandboxHarness.lender, scope: "user:read exchange")
            let refresh = try #require(grant.string("refresh_token"))
            let exchanged = try await client.exchange(SandboxHarness.lender, subject: refresh, type: Self.oauthUserToken, audience: "other-app")
            #expect(exchanged.status == 200)
            let access = try #require(exchanged.string("access_token"))
            let claims = try await client.introspect(SandboxHarness.otherApp, access)
            #expect(claims["active"] == .bool(true))
            #expect(claims.string("aud") == "other-app")
            #expect(claims.string("scope") == "user:read")
            // Revoking the subject takes the exchanged tokens down with it.
            #expect(try await client.revoke(SandboxHarness.lender, refresh).status == 200)
            #expect(try await !client.isActive(SandboxHarness.otherApp, access))
            #expect(try await !client.isActive(SandboxHarness.otherApp, try #require(exchanged.string("refresh_token"))))
        }
    }

    @Test("oauth:user-token: a subject without the exchange scope is invalid_grant; the caller's own id is invalid_request")
    func oauthUserTokenRules() async throws {
        try await SandboxHarness.withSandbox { client in
            let readOnly = try await client.clientCredentials(SandboxHarness.lender, scope: "user:read")
            let noExchange = try await client.exchange(
                SandboxHarness.lender, subject: try #require(readOnly.string("refresh_token")), type: Self.oauthUserToken, audience: "other-app")
            #expect(noExchange.error == "invalid_grant")
            let grant = try await client.clientCredentials(SandboxHarness.lender, scope: "user:read exchange")
            let toSelf = try await client.exchange(
                SandboxHarness.lender, subject: try #require(grant.string("refresh_token")), type: Self.oauthUserToken, audience: "lender")
            #expect(toSelf.error == "invalid_request")
            let unknown = try await client.exchange(
                SandboxHarness.lender, subject: try #require(grant.string("refresh_token")), type: Self.oauthUserToken, audience: "nobody")
            #expect(unknown.error == "invalid_request")
        }
    }

    @Test("missing exchange fields and unknown subject token types are invalid_request")
    func missingFields() async throws {
        try await SandboxHarness.withSandbox { client in
            let user = try await client.createUser(SandboxHarness.lender)
            let base = ["grant_type": "urn:ietf:params:oauth:grant-type:token-exchange"]
            let noType = try await client.authenticated("/oauth/token", as: SandboxHarness.lender, base.merging(["subject_token": user, "audience": "lender"]) { $1 })
            #expect(noType.error == "invalid_request")
            let noAudience = try await client.authenticated(
                "/oauth/token", as: SandboxHarness.lender, base.merging(["subject_token": user, "subject_token_type": Self.multiUser]) { $1 })
            #expect(noAudience.error == "invalid_request")
            let unknownType = try await client.exchange(SandboxHarness.lender, subject: user, type: "urn:example:other", audience: "lender")
            #expect(unknownType.error == "invalid_request")
        }
    }
}
