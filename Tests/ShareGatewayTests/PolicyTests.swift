import Testing

@testable import ShareGateway

@Suite("CORSPolicy")
struct CORSPolicyTests {
    @Test("only exact origins are allowed")
    func exactOrigins() throws {
        let policy = try CORSPolicy(allowedOrigins: ["https://app.example.com", "http://localhost:3000"])
        #expect(policy.allows(origin: "https://app.example.com"))
        #expect(policy.allows(origin: "http://localhost:3000"))
        #expect(!policy.allows(origin: "https://app.example.com.evil.test"))
        #expect(!policy.allows(origin: "https://evil.test"))
        #expect(!policy.allows(origin: "http://app.example.com"))
        #expect(!policy.allows(origin: "null"))
        #expect(!policy.allows(origin: "http://localhost:3001"))
    }

    @Test("wildcards, paths and non-http origins are refused", arguments: ["*", "https://*.example.com", "https://a.com/", "https://a.com/path", "file://x", "null", "https://"])
    func invalidOriginsRefused(origin: String) {
        #expect(throws: CORSPolicyError.self) { try CORSPolicy(allowedOrigins: [origin]) }
    }

    @Test("preflight headers echo the origin, list what SDKs send and vary on Origin")
    func preflightHeaders() throws {
        let policy = try CORSPolicy(allowedOrigins: ["https://app.example.com"])
        let headers = policy.preflightHeaders(origin: "https://app.example.com")
        #expect(headers[.accessControlAllowOrigin] == "https://app.example.com")
        let allowed = try #require(headers[.accessControlAllowHeaders]).lowercased()
        for header in ["content-type", "plaid-version", "x-request-id", "x-gateway-key"] { #expect(allowed.contains(header)) }
        #expect(headers[.vary]?.contains("Origin") == true)
        #expect(headers[.accessControlAllowCredentials] == nil)
    }
}

@Suite("FrontendKeys")
struct FrontendKeysTests {
    @Test("a configured key is accepted; anything else is not")
    func acceptsOnlyConfiguredKeys() {
        let keys = FrontendKeys(["k1-0123456789abcdef", "k2-0123456789abcdef"])
        #expect(keys.accepts("k1-0123456789abcdef"))
        #expect(keys.accepts("k2-0123456789abcdef"))
        #expect(!keys.accepts("k1-0123456789abcde"))
        #expect(!keys.accepts("k1-0123456789abcdefg"))
        #expect(!keys.accepts(""))
        #expect(!keys.accepts(nil))
        #expect(!FrontendKeys([]).accepts("anything"))
    }
}

@Suite("TokenBucketRateLimiter")
struct TokenBucketRateLimiterTests {
    @Test("a burst is allowed, then requests wait for refill")
    func burstThenLimit() {
        let limiter = TokenBucketRateLimiter(configuration: .init(ratePerSecond: 2, burst: 3))
        let start = ContinuousClock.now
        for _ in 0..<3 { #expect(limiter.acquire(client: "a", now: start) == .allowed) }
        #expect(limiter.acquire(client: "a", now: start) == .limited(retryAfterSeconds: 1))
        // Another client has its own bucket.
        #expect(limiter.acquire(client: "b", now: start) == .allowed)
        // Half a second later one token has refilled.
        #expect(limiter.acquire(client: "a", now: start + .milliseconds(500)) == .allowed)
        #expect(limiter.acquire(client: "a", now: start + .milliseconds(500)) == .limited(retryAfterSeconds: 1))
    }

    @Test("Retry-After rounds up to whole seconds")
    func retryAfterRoundsUp() {
        let limiter = TokenBucketRateLimiter(configuration: .init(ratePerSecond: 0.25, burst: 1))
        let now = ContinuousClock.now
        #expect(limiter.acquire(client: "a", now: now) == .allowed)
        #expect(limiter.acquire(client: "a", now: now) == .limited(retryAfterSeconds: 4))
    }

    @Test("rate 0 disables limiting")
    func disabled() {
        let limiter = TokenBucketRateLimiter(configuration: .unlimited)
        for _ in 0..<1000 { #expect(limiter.acquire(client: "a") == .allowed) }
        #expect(limiter.trackedClients == 0)
    }

    @Test("idle clients are swept past the tracking limit")
    func memoryBounded() {
        let limiter = TokenBucketRateLimiter(configuration: .init(ratePerSecond: 100, burst: 1, maximumClients: 100))
        let start = ContinuousClock.now
        for index in 0..<100 { _ = limiter.acquire(client: "c\(index)", now: start) }
        _ = limiter.acquire(client: "late", now: start + .seconds(5))
        #expect(limiter.trackedClients <= 1)
    }
}

@Suite("AudiencePolicy")
struct AudiencePolicyTests {
    let exchange = "urn:ietf:params:oauth:grant-type:token-exchange"

    @Test("partner names resolve through the registry; unknown names are refused")
    func resolvesNames() throws {
        let policy = try AudiencePolicy(allowing: ["experian", "urn:plaid:params:cra-partner:fannie-mae"], registry: makePartnerRegistry())
        #expect(policy.allowedPartners.map(\.rawValue) == ["experian", "fannie-mae"])
        #expect(throws: (any Error).self) { try AudiencePolicy(allowing: ["equifax"], registry: makePartnerRegistry()) }
    }

    @Test("token exchange is limited to allowed partner audiences")
    func limitsExchange() throws {
        let policy = try AudiencePolicy(allowing: ["experian"], registry: makePartnerRegistry())
        #expect(policy.refusal(grantType: exchange, audience: "urn:plaid:params:cra-partner:experian") == nil)
        #expect(policy.refusal(grantType: exchange, audience: "urn:plaid:params:cra-partner:freddie-mac") != nil)
        #expect(policy.refusal(grantType: exchange, audience: "urn:plaid:params:cra-partner:experian,other-client") != nil)
        #expect(policy.refusal(grantType: exchange, audience: nil) != nil)
        #expect(policy.refusal(grantType: " " + exchange, audience: "some-client") != nil)
        #expect(policy.refusal(grantType: nil, audience: "some-client") != nil)
        #expect(policy.refusal(grantType: "client_credentials", audience: nil) == nil)
        #expect(policy.refusal(grantType: "refresh_token", audience: nil) == nil)
    }

    @Test("with no partners listed nothing is restricted")
    func unrestricted() {
        #expect(AudiencePolicy.unrestricted.refusal(grantType: exchange, audience: "anyone") == nil)
    }
}
