import ShareCore
import ShareCredentials
import Testing

@testable import ShareSandbox

/// Client authentication skips the HMAC for a secret it verified before, and must stay exactly as
/// strict as without that shortcut.
@Suite("verified secret cache")
struct VerifiedSecretCacheTests {
    static func client(_ id: String, secret: String) -> StoredClient {
        StoredClient(
            id: id, secretDigest: SecretDigest(hashing: secret), partnerID: nil, partnerURN: nil,
            scopes: "user:read", grantTypes: "client_credentials")
    }

    static func headers(_ id: String, _ secret: String) -> PresentedCredentials {
        var presented = PresentedCredentials()
        presented.addHeaders(clientID: id, secret: secret)
        return presented
    }

    static func authenticates(_ authenticator: ClientAuthenticator, _ id: String, _ secret: String) async -> Bool {
        (try? await authenticator.authenticate(headers(id, secret))) != nil
    }

    @Test("a wrong secret still fails after the right one was remembered")
    func wrongSecretAfterRightOne() async throws {
        let store = InMemorySandboxStore()
        store.saveClient(Self.client("app", secret: "right-secret"))
        let authenticator = ClientAuthenticator(store: store)
        #expect(await Self.authenticates(authenticator, "app", "right-secret"))
        #expect(await Self.authenticates(authenticator, "app", "right-secret"))
        #expect(await !Self.authenticates(authenticator, "app", "right-secreT"))
        #expect(await !Self.authenticates(authenticator, "app", "right-secret-and-more"))
        #expect(await !Self.authenticates(authenticator, "app", "right"))
        #expect(await Self.authenticates(authenticator, "app", "right-secret"))
    }

    @Test("a remembered secret stops counting once the client is registered with a new one")
    func reRegistration() async throws {
        let store = InMemorySandboxStore()
        store.saveClient(Self.client("app", secret: "old-secret"))
        let authenticator = ClientAuthenticator(store: store)
        #expect(await Self.authenticates(authenticator, "app", "old-secret"))
        store.saveClient(Self.client("app", secret: "new-secret"))
        #expect(await !Self.authenticates(authenticator, "app", "old-secret"))
        #expect(await Self.authenticates(authenticator, "app", "new-secret"))
    }

    @Test("one client's remembered secret does not open another client")
    func perClient() async throws {
        let store = InMemorySandboxStore()
        store.saveClient(Self.client("a", secret: "secret-a"))
        store.saveClient(Self.client("b", secret: "secret-b"))
        let authenticator = ClientAuthenticator(store: store)
        #expect(await Self.authenticates(authenticator, "a", "secret-a"))
        #expect(await !Self.authenticates(authenticator, "b", "secret-a"))
        #expect(await !Self.authenticates(authenticator, "nobody", "secret-a"))
    }

    @Test("the comparison the cache uses (Secret's constant-time equality) compares contents and lengths")
    func equality() {
        #expect(Secret.constantTimeEquals("abc", "abc"))
        #expect(!Secret.constantTimeEquals("abc", "abd"))
        #expect(!Secret.constantTimeEquals("abc", "abc\0"))
        #expect(!Secret.constantTimeEquals("", "a"))
        #expect(Secret.constantTimeEquals("", ""))
    }
}
