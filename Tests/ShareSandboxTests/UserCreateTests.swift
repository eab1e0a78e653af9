import ShareSandbox
import Testing

@Suite("/user/create")
struct UserCreateTests {
    @Test("creates a usr_ id and answers with request_id")
    func createsUser() async throws {
        try await SandboxHarness.withSandbox { client in
            let answer = try await client.authenticated("/user/create", as: SandboxHarness.lender, ["client_user_id": "alice"])
            #expect(answer.status == 200)
            #expect(answer.string("user_id")?.hasPrefix("usr_") == true)
            #expect(answer.keys == ["user_id", "request_id"])
        }
    }

    @Test("the same client_user_id of the same client gives the same user; other clients get their own")
    func idempotentPerClient() async throws {
        try await SandboxHarness.withSandbox { client in
            let first = try await client.createUser(SandboxHarness.lender, clientUserID: "alice")
            let again = try await client.createUser(SandboxHarness.lender, clientUserID: "alice")
            let other = try await client.createUser(SandboxHarness.otherApp, clientUserID: "alice")
            #expect(first == again)
            #expect(first != other)
        }
    }

    static let identity = #"""
        {"name": {"given_name": "Ada", "family_name": "Lovelace"}, "date_of_birth": "1985-12-10",
         "emails": [{"data": "ada@example.com", "primary": true}],
         "phone_numbers": [{"data": "+14155550123", "primary": true}],
         "addresses": [{"street_1": "1 Main St", "city": "SF", "region": "CA", "country": "US", "postal_code": "94105", "primary": true}],
         "id_numbers": [{"value": "1234", "type": "us_ssn_last_4"}]}
        """#
    static let legacyIdentity = #"""
        {"first_name": "Ada", "last_name": "Lovelace", "phone_numbers": ["+14155550123"], "emails": ["ada@example.com"],
         "date_of_birth": "1985-12-10",
         "primary_address": {"street": "1 Main St", "city": "SF", "region": "CA", "postal_code": "94105", "country": "US"}}
        """#
    static let credentials = #""client_id": "lender", "secret": "lender-secret""#

    /// Bodies Plaid's document refuses, each with the `error_code` and a fragment of the message.
    static let refused: [(String, String, String)] = [
        (#"{\#(credentials)}"#, "MISSING_FIELDS", "client_user_id"),
        (#"{\#(credentials), "client_user_id": ""}"#, "INVALID_FIELD", "client_user_id"),
        (#"{\#(credentials), "client_user_id": "\#(String(repeating: "x", count: 129))"}"#, "INVALID_FIELD", "client_user_id"),
        (#"{\#(credentials), "client_user_id": 7}"#, "INVALID_FIELD", "client_user_id"),
        (#"{\#(credentials), "client_user_id": "u", "identity": "ada"}"#, "INVALID_FIELD", "identity"),
        (#"{\#(credentials), "client_user_id": "u", "with_upgraded_user": "yes"}"#, "INVALID_FIELD", "with_upgraded_user"),
        (#"{\#(credentials), "client_user_id": "u", "end_customer": "\#(String(repeating: "e", count: 129))"}"#, "INVALID_FIELD", "end_customer"),
        (#"{\#(credentials), "client_user_id": "u", "identity": {"id_numbers": [{"value": "1", "type": "xx_passport"}]}}"#, "INVALID_FIELD", "identity.id_numbers[0].type"),
        (#"{\#(credentials), "client_user_id": "u", "identity": {"addresses": [{"primary": true}]}}"#, "MISSING_FIELDS", "identity.addresses[0].country"),
        (#"{\#(credentials), "client_user_id": "u", "identity": {"emails": [{"data": "a@b.c"}]}}"#, "MISSING_FIELDS", "identity.emails[0].primary"),
        (#"{\#(credentials), "client_user_id": "u", "identity": {"name": {"given_name": "A"}}}"#, "MISSING_FIELDS", "identity.name.family_name"),
        (#"{\#(credentials), "client_user_id": "u", "identity": {"date_of_birth": "1985-02-30"}}"#, "INVALID_FIELD", "identity.date_of_birth"),
        (#"{\#(credentials), "client_user_id": "u", "identity": {"phone_numbers": [{"data": 5, "primary": true}]}}"#, "INVALID_FIELD", "identity.phone_numbers[0].data"),
        (#"{\#(credentials), "client_user_id": "u", "consumer_report_user_identity": {"first_name": "A"}}"#, "MISSING_FIELDS", "last_name"),
        (#"{\#(credentials), "client_user_id": "u", "consumer_report_user_identity": {"first_name": "A", "last_name": "B", "phone_numbers": [], "emails": [], "date_of_birth": null, "ssn_last_4": "123", "primary_address": {"street": "s", "city": null, "region": null, "postal_code": null, "country": null}}}"#, "INVALID_FIELD", "ssn_last_4"),
        (#"{"client_id": null, "secret": "lender-secret", "client_user_id": "u"}"#, "INVALID_FIELD", "client_id"),
    ]

    @Test("every field Plaid declares is checked: INVALID_REQUEST with MISSING_FIELDS or INVALID_FIELD naming it, in PlaidError's shape")
    func refusesWhatPlaidRefuses() async throws {
        try await SandboxHarness.withSandbox { client in
            for (body, code, field) in Self.refused {
                let answer = try await client.rawJSON("/user/create", body)
                #expect(answer.status == 400, "\(body)")
                #expect(answer.keys == SandboxAnswer.plaidErrorKeys, "\(answer.bodyText)")
                #expect(answer.string("error_type") == "INVALID_REQUEST", "\(body)")
                #expect(answer.errorCode == code, "\(body) → \(answer.bodyText)")
                #expect(answer.string("error_message")?.contains(field) == true, "\(answer.bodyText)")
                #expect(answer["display_message"] == .null)
                #expect(answer.string("request_id") == answer.headers[.init("X-Request-Id")!])
            }
        }
    }

    @Test("wrong credentials are INVALID_INPUT / INVALID_API_KEYS with status 401")
    func requiresAuthentication() async throws {
        try await SandboxHarness.withSandbox { client in
            for answer in [
                try await client.json("/user/create", ["client_user_id": "alice"]),
                try await client.json("/user/create", ["client_user_id": "alice", "client_id": "lender", "secret": "wrong"]),
            ] {
                #expect(answer.status == 401)
                #expect(answer.string("error_type") == "INVALID_INPUT")
                #expect(answer.errorCode == "INVALID_API_KEYS")
                #expect(answer.keys == SandboxAnswer.plaidErrorKeys)
            }
        }
    }

    @Test("a New User API request (identity) gets a user_id only; a legacy one (consumer_report_user_identity) a user_token too")
    func twoGenerations() async throws {
        try await SandboxHarness.withSandbox { client in
            let new = try await client.rawJSON("/user/create", #"{\#(Self.credentials), "client_user_id": "new", "identity": \#(Self.identity)}"#)
            #expect(new.status == 200, "\(new.bodyText)")
            #expect(new.keys == ["user_id", "request_id"])
            let legacy = try await client.rawJSON(
                "/user/create", #"{\#(Self.credentials), "client_user_id": "old", "consumer_report_user_identity": \#(Self.legacyIdentity)}"#)
            #expect(legacy.status == 200, "\(legacy.bodyText)")
            #expect(legacy.keys == ["user_id", "user_token", "request_id"])
            #expect(legacy.string("user_token")?.hasPrefix("user-sandbox-") == true)
            let upgraded = try await client.rawJSON(
                "/user/create",
                #"{\#(Self.credentials), "client_user_id": "up", "with_upgraded_user": true, "consumer_report_user_identity": \#(Self.legacyIdentity)}"#)
            #expect(upgraded.keys == ["user_id", "request_id"])
            let byHeader = try await client.rawJSON(
                "/user/create", #"{\#(Self.credentials), "client_user_id": "hdr"}"#, headers: [.init("Plaid-New-User-API-Enabled")!: "false"])
            #expect(byHeader.string("user_token")?.hasPrefix("user-sandbox-") == true)
            let badHeader = try await client.rawJSON(
                "/user/create", #"{\#(Self.credentials), "client_user_id": "hdr"}"#, headers: [.init("Plaid-New-User-API-Enabled")!: "maybe"])
            #expect(badHeader.errorCode == "INVALID_HEADERS")
        }
    }

    @Test("the legacy user_token is accepted as subject_token, like the user_id; a CRA-partner token lives 2591999 s")
    func legacyTokenExchanges() async throws {
        try await SandboxHarness.withSandbox { client in
            let legacy = try await client.rawJSON(
                "/user/create", #"{\#(Self.credentials), "client_user_id": "old", "consumer_report_user_identity": \#(Self.legacyIdentity)}"#)
            let userToken = try #require(legacy.string("user_token"))
            for subject in [userToken, try #require(legacy.string("user_id"))] {
                let answer = try await client.authenticated(
                    "/oauth/token", as: SandboxHarness.lender,
                    [
                        "grant_type": "urn:ietf:params:oauth:grant-type:token-exchange", "subject_token": subject,
                        "subject_token_type": "urn:plaid:params:credit:multi-user", "scope": "user:read",
                        "audience": "urn:plaid:params:cra-partner:fannie-mae",
                    ])
                #expect(answer.status == 200, "\(answer.bodyText)")
                #expect(answer.integer("expires_in") == 2_591_999)
            }
            let forged = try await client.authenticated(
                "/oauth/token", as: SandboxHarness.lender,
                [
                    "grant_type": "urn:ietf:params:oauth:grant-type:token-exchange", "subject_token": "user-sandbox-forged",
                    "subject_token_type": "urn:plaid:params:tokens:user", "audience": "lender",
                ])
            #expect(forged.error == "invalid_grant")
        }
    }
}
