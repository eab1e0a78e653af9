import Foundation
import HTTPTypes
import ShareClient
import ShareCredentials
import ShareModels
import ShareTransport
import ShareWire
import Testing

@Suite("OAuthClient requests and responses")
struct OAuthClientTests {
    let credentials = ClientCredentials(clientID: Fixtures.clientID, secret: Fixtures.secret)

    func client(_ api: MockAPI, environment: APIEnvironment = .sandbox, configuration: OAuthClient.Configuration = .init()) -> OAuthClient {
        OAuthClient(environment: environment, credentials: credentials, transport: api, configuration: configuration)
    }

    @Test("introspect posts JSON to /oauth/introspect with credentials in the PLAID headers")
    func introspectWireForm() async throws {
        let api = MockAPI(body: #"{"active":true,"scope":"user:read","client_id":"c","exp":1670000000,"iat":1670000000,"request_id":"r1"}"#)
        let result = try await client(api).introspect(Fixtures.accessToken)
        #expect(result.active && result.exp == 1_670_000_000 && result.requestID == "r1")
        let sent = try #require(api.sent.first)
        #expect(sent.request.method == .post)
        #expect(sent.request.scheme == "https" && sent.request.authority == "sandbox.plaid.com")
        #expect(sent.path == "/oauth/introspect")
        #expect(sent.request.headerFields[.contentType] == "application/json")
        #expect(sent.request.headerFields[.accept] == "application/json")
        #expect(sent.request.headerFields[.plaidClientID] == Fixtures.clientID)
        #expect(sent.request.headerFields[.plaidSecret] == Fixtures.secret)
        #expect(sent.request.headerFields[.requestID]?.isEmpty == false)
        #expect(try sent.json() == ["token": Fixtures.accessToken])
    }

    @Test("a request id bound by the caller is propagated to the API and into errors")
    func propagatedRequestID() async throws {
        let api = MockAPI(status: 400, body: #"{"error":"invalid_request","request_id":"api-1"}"#)
        await #expect {
            try await RequestIDMiddleware.$propagated.withValue("incoming-42") { try await client(api).introspect("pda-x") }
        } throws: { detail($0, OAuthError.self)?.clientRequestID == "incoming-42" && detail($0, OAuthError.self)?.requestID == "api-1" }
        #expect(api.sent.first?.request.headerFields[.requestID] == "incoming-42")
    }

    @Test("environments map to their base URLs, and a custom URL's path prefixes endpoints")
    func environments() async throws {
        #expect(APIEnvironment.sandbox.baseURL.absoluteString == "https://sandbox.plaid.com")
        #expect(APIEnvironment.production.baseURL.absoluteString == "https://production.plaid.com")
        let api = MockAPI(body: #"{"request_id":"r"}"#)
        try await client(api, environment: .custom(URL(string: "http://127.0.0.1:8080/api/")!)).revoke("pdr-x")
        #expect(api.sent.first?.request.authority == "127.0.0.1:8080")
        #expect(api.sent.first?.request.scheme == "http")
        #expect(api.sent.first?.path == "/api/oauth/revoke")
    }

    @Test("form encoding and body placement are options")
    func formAndBodyPlacement() async throws {
        let api = MockAPI(body: #"{"request_id":"r"}"#)
        let configuration = OAuthClient.Configuration(format: .form, credentialPlacement: .body(secretField: .clientSecret))
        try await client(api, configuration: configuration).revoke("pdr-a+b")
        let sent = try #require(api.sent.first)
        #expect(sent.request.headerFields[.contentType] == "application/x-www-form-urlencoded")
        #expect(sent.request.headerFields[.plaidSecret] == nil)
        #expect(sent.text == "token=pdr-a%2Bb&client_id=68028ce48d2b0dec68747f6c&client_secret=TOPSECRET-client-secret-0b7c")
    }

    @Test("a client without credentials sends none (behind a gateway)")
    func noCredentials() async throws {
        let api = MockAPI(body: #"{"active":false,"request_id":"r"}"#)
        let client = OAuthClient(environment: .sandbox, credentials: nil, transport: api)
        #expect(try await client.introspect("pda-x").active == false)
        let sent = try #require(api.sent.first)
        #expect(sent.request.headerFields[.plaidClientID] == nil && sent.request.headerFields[.plaidSecret] == nil)
        #expect(try sent.json() == ["token": "pda-x"])
    }

    @Test("each grant convenience sends exactly its fields")
    func grants() async throws {
        let api = MockAPI(body: Fixtures.tokenResponse())
        let client = client(api)
        _ = try await client.clientCredentials(scope: [.userRead, .exchange])
        _ = try await client.refresh(Fixtures.refreshToken)
        _ = try await client.exchangeUserToken(user: try UserID("usr_abc"))
        _ = try await client.exchangeRefreshToken(Fixtures.refreshToken, for: "other-client", scope: .read)
        let bodies = try api.sent.map { try $0.json() }
        #expect(bodies[0] == ["grant_type": "client_credentials", "scope": "user:read exchange"])
        #expect(bodies[1] == ["grant_type": "refresh_token", "refresh_token": Fixtures.refreshToken])
        #expect(
            bodies[2] == [
                "grant_type": "urn:ietf:params:oauth:grant-type:token-exchange", "subject_token": "usr_abc",
                "subject_token_type": "urn:plaid:params:tokens:user", "audience": Fixtures.clientID,
            ]
        )
        #expect(
            bodies[3] == [
                "grant_type": "urn:ietf:params:oauth:grant-type:token-exchange", "subject_token": Fixtures.refreshToken,
                "subject_token_type": "urn:plaid:params:oauth:user-token", "audience": "other-client", "scope": "user:read",
            ]
        )
        #expect(api.sent.allSatisfy { $0.path == "/oauth/token" })
    }

    @Test("an OAuth error body becomes an OAuthError with code, description, request id and status")
    func oauthError() async throws {
        let api = MockAPI(status: 400, body: #"{"error":"invalid_grant","error_description":"refresh token revoked","request_id":"req-9"}"#)
        await #expect {
            try await client(api).refresh(Fixtures.refreshToken)
        } throws: { error in
            guard let error = detail(error, OAuthError.self) else { return false }
            return error.code == .invalidGrant && error.errorDescription == "refresh token revoked" && error.requestID == "req-9"
                && error.status == 400 && error.operation == "oauth.token" && error.clientRequestID != nil
        }
    }

    @Test("every failure is one ShareClientError: code, operation, status, the API's and the client's request ids, the detail")
    func oneErrorType() async throws {
        let api = MockAPI(status: 400, body: #"{"error":"invalid_grant","error_description":"refresh token revoked","request_id":"req-9"}"#)
        do {
            _ = try await RequestIDMiddleware.$propagated.withValue("mine-7") { try await client(api).refresh(Fixtures.refreshToken) }
            Issue.record("the refusal was not thrown")
        } catch let error as ShareClientError {
            #expect(error.code == .apiRefused)
            #expect(error.code.description == "api_refused")
            #expect(error.operation == "oauth.token")
            #expect(error.status == 400)
            #expect(error.apiRequestID == "req-9")
            #expect(error.clientRequestID == "mine-7")
            #expect((error.underlyingError as? OAuthError)?.code == .invalidGrant)
        }
        let unreachable = MockAPI { _ in throw TransportError(.connectionFailed, detail: "refused") }
        let failure = await #expect(throws: ShareClientError.self) {
            try await client(unreachable, configuration: .init(retry: .never)).introspect("pda-x")
        }
        #expect(failure?.code == .transport)
        #expect(failure?.status == nil)
        #expect(failure?.clientRequestID != nil)
    }

    @Test("Plaid's error shape becomes an APIError")
    func apiError() async throws {
        let api = MockAPI(status: 400, body: #"{"error_type":"INVALID_REQUEST","error_code":"MISSING_FIELDS","error_message":"client_user_id missing","request_id":"req-2","display_message":null}"#)
        await #expect {
            try await client(api).createUser(clientUserID: "user-1")
        } throws: { error in
            guard let error = detail(error, APIError.self) else { return false }
            return error.errorCode == "MISSING_FIELDS" && error.errorType == "INVALID_REQUEST" && error.requestID == "req-2" && error.status == 400
        }
        #expect(try api.sent.first?.json() == ["client_user_id": "user-1"])
        #expect(api.sent.first?.path == "/user/create")
    }

    @Test("createUser checks client_user_id before any network call")
    func createUserValidation() async throws {
        let api = MockAPI(body: #"{"user_id":"usr_x","request_id":"r"}"#)
        await #expect { try await client(api).createUser(clientUserID: "") } throws: { detail($0, InvalidRequestError.self) != nil }
        await #expect { try await client(api).createUser(clientUserID: String(repeating: "u", count: 129)) } throws: { detail($0, InvalidRequestError.self) != nil }
        #expect(api.sent.isEmpty)
        #expect(try await client(api).createUser(clientUserID: "u-1").userID.rawValue == "usr_x")
    }

    @Test("a response with a field of the wrong type names the field and never the body")
    func decodingErrorNamesField() async throws {
        let wrongType = MockAPI(body: #"{"access_token":"pda-LEAK","refresh_token":"pdr-LEAK","expires_in":"900","token_type":"Bearer","request_id":"r5"}"#)
        await #expect {
            try await client(wrongType).clientCredentials()
        } throws: { error in
            guard let error = detail(error, ResponseDecodingError.self) else { return false }
            return error.field == "expires_in" && error.requestID == "r5" && !error.description.contains("LEAK")
        }
        let missing = MockAPI(body: #"{"access_token":"pda-LEAK","expires_in":900,"token_type":"Bearer","request_id":"r6"}"#)
        await #expect {
            try await client(missing).clientCredentials()
        } throws: { error in
            "\(error)".contains("refresh_token") && !"\(error)".contains("LEAK")
        }
        let garbage = MockAPI(status: 502, body: "<html>bad gateway</html>")
        await #expect {
            try await client(garbage, configuration: .init(retry: .never)).introspect("pda-x")
        } throws: { detail($0, ResponseDecodingError.self)?.status == 502 }
    }

    @Test("introspection is retried after a 503; a token grant only when the caller opts in")
    func retryScope() async throws {
        let fast = OAuthClient.Configuration(retry: RetryPolicy(baseDelay: .milliseconds(1), maximumDelay: .milliseconds(2)))
        let flaky = { () -> MockAPI in
            let calls = Counter()
            return MockAPI { sent in
                calls.increment() == 1
                    ? (503, #"{"error":"temporarily_unavailable","request_id":"r"}"#)
                    : (200, sent.path == "/oauth/token" ? Fixtures.tokenResponse() : #"{"active":true,"request_id":"r"}"#)
            }
        }
        let introspect = flaky()
        #expect(try await client(introspect, configuration: fast).introspect("pda-x").active)
        #expect(introspect.sent.count == 2)
        #expect(introspect.sent[0].request.headerFields[.requestID] == introspect.sent[1].request.headerFields[.requestID])

        let grant = flaky()
        await #expect { try await client(grant, configuration: fast).clientCredentials() } throws: { detail($0, OAuthError.self) != nil }
        #expect(grant.sent.count == 1)

        let optedIn = flaky()
        _ = try await client(optedIn, configuration: fast).token(.clientCredentials(), retryable: true)
        #expect(optedIn.sent.count == 2)
    }

    @Test("a timed-out attempt surfaces as a transport error")
    func timeout() async throws {
        let api = MockAPI { _ in
            try await Task.sleep(for: .seconds(3600))
            return (200, "{}")
        }
        let configuration = OAuthClient.Configuration(retry: .never, attemptTimeout: .milliseconds(50))
        await #expect {
            try await client(api, configuration: configuration).introspect("pda-x")
        } throws: { detail($0, TransportError.self)?.code == .timedOut }
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    /// Adds one and returns the new count.
    func increment() -> Int { lock.withLock { value += 1; return value } }
    var count: Int { lock.withLock { value } }
}
