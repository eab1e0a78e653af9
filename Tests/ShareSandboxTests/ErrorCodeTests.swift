import ShareModels
import ShareSandbox
import Testing

/// One test per OAuth error code the sandbox answers, each checking status and shape.
@Suite("error codes")
struct ErrorCodeTests {
    static func expectError(_ answer: SandboxAnswer, _ code: String, status: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(answer.status == status, "body: \(answer.bodyText)", sourceLocation: sourceLocation)
        #expect(answer.error == code, "body: \(answer.bodyText)", sourceLocation: sourceLocation)
        #expect(answer.keys == ["error", "error_description", "request_id"], sourceLocation: sourceLocation)
        #expect(answer.string("error_description")?.isEmpty == false, sourceLocation: sourceLocation)
    }

    @Test("invalid_request: a missing grant_type, token or client_user_id")
    func invalidRequest() async throws {
        try await SandboxHarness.withSandbox { client in
            Self.expectError(try await client.authenticated("/oauth/token", as: SandboxHarness.lender, [:]), "invalid_request", status: 400)
            Self.expectError(try await client.authenticated("/oauth/introspect", as: SandboxHarness.lender, [:]), "invalid_request", status: 400)
            Self.expectError(try await client.authenticated("/oauth/revoke", as: SandboxHarness.lender, [:]), "invalid_request", status: 400)
            Self.expectError(
                try await client.authenticated("/oauth/token", as: SandboxHarness.lender, ["grant_type": "refresh_token"]),
                "invalid_request", status: 400)
        }
    }

    @Test("null where Plaid declares a string is invalid_request naming the field")
    func nullIsNotAString() async throws {
        try await SandboxHarness.withSandbox { client in
            for (path, body, field) in [
                ("/oauth/token", #"{"grant_type": "client_credentials", "client_id": null, "secret": "lender-secret"}"#, "client_id"),
                ("/oauth/token", #"{"grant_type": "client_credentials", "client_id": "lender", "secret": "lender-secret", "scope": null}"#, "scope"),
                ("/oauth/introspect", #"{"token": "x", "client_id": null, "secret": "lender-secret"}"#, "client_id"),
                ("/oauth/revoke", #"{"token": "x", "client_id": "lender", "secret": null}"#, "secret"),
            ] {
                let answer = try await client.rawJSON(path, body)
                Self.expectError(answer, "invalid_request", status: 400)
                #expect(answer.string("error_description")?.contains(field) == true, "\(answer.bodyText)")
            }
        }
    }

    @Test("invalid_client: 401")
    func invalidClient() async throws {
        try await SandboxHarness.withSandbox { client in
            let answer = try await client.json("/oauth/token", ["grant_type": "client_credentials", "client_id": "lender", "secret": "nope"])
            Self.expectError(answer, "invalid_client", status: 401)
        }
    }

    @Test("invalid_grant: an unknown refresh token")
    func invalidGrant() async throws {
        try await SandboxHarness.withSandbox { client in
            Self.expectError(try await client.refresh(SandboxHarness.lender, "pdr-made-up"), "invalid_grant", status: 400)
        }
    }

    @Test("unauthorized_client: a grant the client is not registered for")
    func unauthorizedClient() async throws {
        let clock = ManualClock()
        var configuration = SandboxHarness.configuration(clock: clock)
        let restricted = ClientRegistration(id: "restricted", secret: "restricted-secret", grantTypes: [.clientCredentials])
        configuration.clients.append(restricted)
        try await SandboxHarness.withSandbox(configuration: configuration) { client in
            let grant = try await client.clientCredentials(restricted)
            #expect(grant.status == 200)
            let refresh = try await client.refresh(restricted, try #require(grant.string("refresh_token")))
            Self.expectError(refresh, "unauthorized_client", status: 400)
        }
    }

    @Test("invalid_scope: a scope outside the known set")
    func invalidScope() async throws {
        try await SandboxHarness.withSandbox { client in
            let answer = try await client.clientCredentials(SandboxHarness.lender, scope: "user:read admin")
            Self.expectError(answer, "invalid_scope", status: 400)
            #expect(answer.string("error_description")?.contains("admin") == true)
        }
    }

    @Test("unsupported_grant_type: password, authorization_code, anything unknown")
    func unsupportedGrantType() async throws {
        try await SandboxHarness.withSandbox { client in
            for grant in ["password", "authorization_code", "urn:example:custom"] {
                Self.expectError(
                    try await client.authenticated("/oauth/token", as: SandboxHarness.lender, ["grant_type": grant]),
                    "unsupported_grant_type", status: 400)
            }
        }
    }

    @Test("every answer carries a request_id, also in the X-Request-Id header")
    func requestIDEverywhere() async throws {
        try await SandboxHarness.withSandbox { client in
            let answers = [
                try await client.clientCredentials(SandboxHarness.lender),
                try await client.introspect(SandboxHarness.lender, "pda-x"),
                try await client.revoke(SandboxHarness.lender, "pda-x"),
                try await client.send("/healthz", method: .get),
                try await client.send("/", method: .get),
                try await client.send("/missing", method: .get),
            ]
            var seen = Set<String>()
            for answer in answers {
                let id = try #require(answer.string("request_id"), "body: \(answer.bodyText)")
                #expect(answer.headers[.init("X-Request-Id")!] == id)
                seen.insert(id)
            }
            #expect(seen.count == answers.count)
        }
    }
}
