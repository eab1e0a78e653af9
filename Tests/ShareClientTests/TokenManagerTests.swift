import ShareClient
import ShareCredentials
import ShareModels
import ShareTransport
import Testing

@Suite("TokenManager")
struct TokenManagerTests {
    func client(_ api: MockAPI) -> OAuthClient {
        OAuthClient(environment: .sandbox, credentials: ClientCredentials(clientID: Fixtures.clientID, secret: Fixtures.secret), transport: api)
    }

    /// A refresh endpoint that rotates: each refresh spends the presented token and issues `pdr-N`.
    func rotatingAPI(refreshes: Counter, delay: Duration = .milliseconds(20)) -> MockAPI {
        MockAPI { sent in
            let fields = try sent.json()
            guard fields["grant_type"] == "refresh_token" else { return (400, #"{"error":"unsupported_grant_type","request_id":"r"}"#) }
            let number = refreshes.increment()
            try await Task.sleep(for: delay)
            return (200, Fixtures.tokenResponse(access: "pda-access-\(number)", refresh: "pdr-refresh-\(number)", expiresIn: 900))
        }
    }

    @Test("1,000 concurrent callers of an expiring token cause exactly one refresh request")
    func singleFlight() async throws {
        let refreshes = Counter()
        let api = rotatingAPI(refreshes: refreshes)
        let rotations = Counter()
        let expiring = OAuthTokenResponse(accessToken: "pda-old", refreshToken: "pdr-old", expiresIn: 30, requestID: "r0")
        let manager = TokenManager(client: client(api), tokens: expiring, refreshMargin: .seconds(60), onRotation: { _ in _ = rotations.increment() })
        let tokens = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<1000 { group.addTask { try await manager.accessToken() } }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(tokens.count == 1000)
        #expect(Set(tokens) == ["pda-access-1"])
        #expect(api.sent.count == 1)
        #expect(try api.sent[0].json()["refresh_token"] == "pdr-old")
        #expect(await manager.refreshCount == 1)
        #expect(rotations.count == 1)
        #expect(await manager.currentRefreshToken == "pdr-refresh-1", "the rotated refresh token is stored")
        #expect(try await manager.accessToken() == "pda-access-1", "a fresh token is served without a request")
        #expect(api.sent.count == 1)
    }

    @Test("the next refresh presents the rotated refresh token")
    func rotation() async throws {
        let refreshes = Counter()
        let api = rotatingAPI(refreshes: refreshes, delay: .zero)
        let manager = TokenManager(client: client(api), tokens: OAuthTokenResponse(accessToken: "pda-0", refreshToken: "pdr-0", expiresIn: 900, requestID: "r"))
        #expect(try await manager.accessToken() == "pda-0")
        #expect(try await manager.refresh() == "pda-access-1")
        #expect(try await manager.refresh() == "pda-access-2")
        #expect(try api.sent.map { try $0.json()["refresh_token"] } == ["pdr-0", "pdr-refresh-1"])
    }

    @Test("a revoked or reused family is terminal: no request is sent again")
    func familyRevokedIsTerminal() async throws {
        let api = MockAPI(status: 400, body: #"{"error":"invalid_grant","error_description":"refresh token reused; family revoked","request_id":"r"}"#)
        let manager = TokenManager(client: client(api), tokens: OAuthTokenResponse(accessToken: "pda-0", refreshToken: "pdr-0", expiresIn: 0, requestID: "r"))
        let results = await withTaskGroup(of: (any Error)?.self) { group in
            for _ in 0..<50 {
                group.addTask {
                    do {
                        _ = try await manager.accessToken()
                        return nil
                    } catch { return error }
                }
            }
            return await group.reduce(into: [(any Error)?]()) { $0.append($1) }
        }
        #expect(results.allSatisfy { $0.flatMap { detail($0, TokenManagerError.self) } != nil })
        #expect(results.allSatisfy { ($0 as? ShareClientError)?.code == .tokenFamilyRevoked })
        await #expect { try await manager.accessToken() } throws: { detail($0, TokenManagerError.self) != nil }
        await #expect { try await manager.refresh() } throws: { detail($0, TokenManagerError.self) != nil }
        #expect(api.sent.count == 1)
        #expect(await manager.currentRefreshToken == nil)
    }

    @Test("a transient failure is not terminal: the next call refreshes again")
    func transientFailureIsRetriedLater() async throws {
        let calls = Counter()
        let api = MockAPI { _ in
            calls.increment() == 1 ? (503, #"{"error":"temporarily_unavailable","request_id":"r"}"#) : (200, Fixtures.tokenResponse(access: "pda-new"))
        }
        let manager = TokenManager(client: client(api), tokens: OAuthTokenResponse(accessToken: "pda-0", refreshToken: "pdr-0", expiresIn: 0, requestID: "r"))
        await #expect { try await manager.accessToken() } throws: { detail($0, OAuthError.self) != nil }
        #expect(try await manager.accessToken() == "pda-new")
        #expect(api.sent.count == 2)
    }

    @Test("a manager built from a grant obtains its first pair on first use")
    func initialGrant() async throws {
        let api = MockAPI(body: Fixtures.tokenResponse(access: "pda-first"))
        let manager = TokenManager(client: client(api), grant: .clientCredentials(scope: .read))
        #expect(try await manager.accessToken() == "pda-first")
        #expect(try api.sent.first?.json() == ["grant_type": "client_credentials", "scope": "user:read"])
    }
}
