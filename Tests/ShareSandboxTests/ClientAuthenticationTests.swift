import Foundation
import HTTPTypes
import Hummingbird
import ShareSandbox
import Testing

@Suite("client authentication")
struct ClientAuthenticationTests {
    static let clientCredentials = ["grant_type": "client_credentials"]

    static func basic(_ id: String, _ secret: String) -> String {
        "Basic " + Data("\(id):\(secret)".utf8).base64EncodedString()
    }

    static func formEncoded(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed)!
    }

    @Test("PLAID-CLIENT-ID and PLAID-SECRET headers, with the Plaid SDK's other headers")
    func plaidHeaders() async throws {
        try await SandboxHarness.withSandbox { client in
            let headers: HTTPFields = [
                .plaidClientID: "lender", .plaidSecret: "lender-secret", .accept: "application/json",
                HTTPField.Name("Plaid-Version")!: "2020-09-14", .userAgent: "Plaid Python v46.0.0",
            ]
            let answer = try await client.json("/oauth/token", Self.clientCredentials, headers: headers)
            #expect(answer.status == 200)
        }
    }

    @Test("body client_id with secret or client_secret")
    func bodyCredentials() async throws {
        try await SandboxHarness.withSandbox { client in
            let withSecret = try await client.json("/oauth/token", ["grant_type": "client_credentials", "client_id": "lender", "secret": "lender-secret"])
            #expect(withSecret.status == 200)
            let withClientSecret = try await client.json(
                "/oauth/token", ["grant_type": "client_credentials", "client_id": "lender", "client_secret": "lender-secret"])
            #expect(withClientSecret.status == 200)
        }
    }

    @Test("HTTP Basic with form-url-encoded credentials (RFC 6749 §2.3.1)")
    func basicEncoded() async throws {
        try await SandboxHarness.withSandbox { client in
            let secret = SandboxHarness.otherApp.secret
            let header = Self.basic(Self.formEncoded("other-app"), Self.formEncoded(secret))
            #expect(header != Self.basic("other-app", secret))
            let answer = try await client.form("/oauth/token", [("grant_type", "client_credentials")], headers: [.authorization: header])
            #expect(answer.status == 200)
        }
    }

    @Test("HTTP Basic with raw credentials, '+' included, as some clients send them")
    func basicRaw() async throws {
        try await SandboxHarness.withSandbox { client in
            let header = Self.basic("other-app", SandboxHarness.otherApp.secret)
            let answer = try await client.form("/oauth/token", [("grant_type", "client_credentials")], headers: [.authorization: header])
            #expect(answer.status == 200)
        }
    }

    @Test("a wrong Basic secret is 401 invalid_client with a Basic challenge")
    func basicChallenge() async throws {
        try await SandboxHarness.withSandbox { client in
            let answer = try await client.form(
                "/oauth/token", [("grant_type", "client_credentials")], headers: [.authorization: Self.basic("lender", "wrong")])
            #expect(answer.status == 401)
            #expect(answer.error == "invalid_client")
            #expect(answer.headers[.wwwAuthenticate]?.hasPrefix("Basic realm=") == true)
            #expect(answer.string("request_id") != nil)
        }
    }

    @Test("malformed Basic credentials are invalid_client")
    func malformedBasic() async throws {
        try await SandboxHarness.withSandbox { client in
            let answer = try await client.form(
                "/oauth/token", [("grant_type", "client_credentials")], headers: [.authorization: "Basic !!!not-base64"])
            #expect(answer.status == 401)
            #expect(answer.error == "invalid_client")
            #expect(answer.headers[.wwwAuthenticate] != nil)
        }
    }

    @Test("a wrong secret in the body is 401 without a Basic challenge, and the secret is not echoed")
    func wrongBodySecret() async throws {
        try await SandboxHarness.withSandbox { client in
            let answer = try await client.json(
                "/oauth/token", ["grant_type": "client_credentials", "client_id": "lender", "secret": "guessed-secret-value"])
            #expect(answer.status == 401)
            #expect(answer.error == "invalid_client")
            #expect(answer.headers[.wwwAuthenticate] == nil)
            #expect(!answer.bodyText.contains("guessed-secret-value"))
        }
    }

    @Test("an unknown client, a missing secret and no credentials at all are invalid_client")
    func missingOrUnknown() async throws {
        try await SandboxHarness.withSandbox { client in
            let unknown = try await client.json("/oauth/token", ["grant_type": "client_credentials", "client_id": "nobody", "secret": "x"])
            #expect(unknown.status == 401)
            let noSecret = try await client.json("/oauth/token", ["grant_type": "client_credentials", "client_id": "lender"])
            #expect(noSecret.status == 401)
            let nothing = try await client.json("/oauth/token", ["grant_type": "client_credentials"])
            #expect(nothing.status == 401)
            #expect(nothing.error == "invalid_client")
        }
    }

    @Test("headers and body naming different clients are invalid_client; agreeing ones are fine")
    func conflictingCredentials() async throws {
        try await SandboxHarness.withSandbox { client in
            let conflicting = try await client.json(
                "/oauth/token", ["grant_type": "client_credentials", "client_id": "stranger", "secret": "stranger-secret"],
                headers: [.plaidClientID: "lender", .plaidSecret: "lender-secret"])
            #expect(conflicting.status == 401)
            #expect(conflicting.error == "invalid_client")
            let agreeing = try await client.json(
                "/oauth/token", ["grant_type": "client_credentials", "client_id": "lender"],
                headers: [.plaidClientID: "lender", .plaidSecret: "lender-secret"])
            #expect(agreeing.status == 200)
            let wrongSecondSecret = try await client.json(
                "/oauth/token", ["grant_type": "client_credentials", "client_id": "lender", "secret": "wrong"],
                headers: [.plaidClientID: "lender", .plaidSecret: "lender-secret"])
            #expect(wrongSecondSecret.status == 401)
        }
    }
}

extension HTTPField.Name {
    static let plaidClientID = HTTPField.Name("PLAID-CLIENT-ID")!
    static let plaidSecret = HTTPField.Name("PLAID-SECRET")!
}
