import Foundation
import ShareSandbox
import Testing

@Suite("client_credentials grant")
struct ClientCredentialsGrantTests {
    @Test("issues a pda-/pdr- pair with 256 bits of randomness and an integer expires_in")
    func issuesPair() async throws {
        try await SandboxHarness.withSandbox { client in
            let answer = try await client.clientCredentials(SandboxHarness.lender)
            #expect(answer.status == 200)
            let access = try #require(answer.string("access_token"))
            let refresh = try #require(answer.string("refresh_token"))
            #expect(access.hasPrefix("pda-"))
            #expect(refresh.hasPrefix("pdr-"))
            // 32 bytes in unpadded base64url are 43 characters.
            #expect(access.dropFirst(4).count == 43)
            #expect(refresh.dropFirst(4).count == 43)
            #expect(answer["expires_in"] == .integer(900))
            #expect(answer.string("token_type") == "Bearer")
            #expect(answer.string("request_id")?.isEmpty == false)
            #expect(answer.headers[.cacheControl] == "no-store")
            #expect(!answer.bodyText.contains("null"))
        }
    }

    @Test("two grants never share a token")
    func tokensAreDistinct() async throws {
        try await SandboxHarness.withSandbox { client in
            let first = try await client.clientCredentials(SandboxHarness.lender)
            let second = try await client.clientCredentials(SandboxHarness.lender)
            #expect(first.string("access_token") != second.string("access_token"))
            #expect(first.string("refresh_token") != second.string("refresh_token"))
        }
    }

    @Test("the requested scope is granted and introspected")
    func requestedScope() async throws {
        try await SandboxHarness.withSandbox { client in
            let answer = try await client.clientCredentials(SandboxHarness.lender, scope: "user:read")
            let access = try #require(answer.string("access_token"))
            let claims = try await client.introspect(SandboxHarness.lender, access)
            #expect(claims["active"] == .bool(true))
            #expect(claims.string("scope") == "user:read")
            #expect(claims.string("client_id") == "lender")
            #expect(claims.string("sub") == "lender")
            #expect(claims.string("aud") == "lender")
            #expect(claims.string("token_type") == "Bearer")
            #expect(claims.string("iss") == "urn:sharekit:sandbox")
            #expect(claims["iat"] == .integer(1_800_000_000))
            #expect(claims["exp"] == .integer(1_800_000_900))
            #expect(claims["user_id"] == nil)
        }
    }

    @Test("without a scope the client's scopes are granted")
    func defaultScope() async throws {
        try await SandboxHarness.withSandbox { client in
            let answer = try await client.clientCredentials(SandboxHarness.lender)
            let claims = try await client.introspect(SandboxHarness.lender, try #require(answer.string("access_token")))
            #expect(claims.string("scope") == "user:read user:write exchange")
        }
    }

    @Test("the access token lifetime is configurable")
    func configurableLifetime() async throws {
        let clock = ManualClock()
        var configuration = SandboxHarness.configuration(clock: clock)
        configuration.accessTokenTTL = 60
        try await SandboxHarness.withSandbox(configuration: configuration) { client in
            let answer = try await client.clientCredentials(SandboxHarness.lender)
            #expect(answer["expires_in"] == .integer(60))
            let access = try #require(answer.string("access_token"))
            clock.advance(seconds: 59)
            #expect(try await client.isActive(SandboxHarness.lender, access))
            clock.advance(seconds: 1)
            #expect(try await !client.isActive(SandboxHarness.lender, access))
        }
    }

    @Test("form bodies work like JSON bodies")
    func formBody() async throws {
        try await SandboxHarness.withSandbox { client in
            let answer = try await client.form(
                "/oauth/token",
                [("grant_type", "client_credentials"), ("client_id", "lender"), ("client_secret", "lender-secret"), ("scope", "user:read exchange")])
            #expect(answer.status == 200)
            let claims = try await client.introspect(SandboxHarness.lender, try #require(answer.string("access_token")))
            #expect(claims.string("scope") == "user:read exchange")
        }
    }

    @Test("a scope outside the client's scopes is invalid_scope")
    func scopeOutsideClient() async throws {
        try await SandboxHarness.withSandbox { client in
            let answer = try await client.clientCredentials(SandboxHarness.lender, scope: "mcp:dashboard")
            #expect(answer.status == 400)
            #expect(answer.error == "invalid_scope")
        }
    }
}
