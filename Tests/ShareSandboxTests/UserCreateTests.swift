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

    @Test("client_user_id longer than 128 characters is invalid_request")
    func tooLong() async throws {
        try await SandboxHarness.withSandbox { client in
            let answer = try await client.authenticated(
                "/user/create", as: SandboxHarness.lender, ["client_user_id": String(repeating: "x", count: 129)])
            #expect(answer.status == 400)
            #expect(answer.error == "invalid_request")
        }
    }

    @Test("requires client authentication")
    func requiresAuthentication() async throws {
        try await SandboxHarness.withSandbox { client in
            let answer = try await client.json("/user/create", ["client_user_id": "alice"])
            #expect(answer.status == 401)
        }
    }
}
