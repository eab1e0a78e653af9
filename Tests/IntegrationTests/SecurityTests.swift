import Foundation
import InMemoryLogging
import Logging
import ShareClient
import ShareCredentials
import ShareModels
import ShareSandbox
import ShareTransport
import ShareTransportAHC
import Testing

/// Security properties checked end to end: ShareClient over AsyncHTTPClient against a sandbox
/// serving on loopback, both logging at `trace` into memory.
@Suite("Security: redaction, constant-time checks, refresh reuse, cross-client access")
struct SecurityTests {
    static let alice = ClientRegistration(id: "client-alice", secret: "alice-secret-Qw7LmZp2")
    static let bob = ClientRegistration(id: "client-bob", secret: "bob-secret-Vn4KdRt9")

    /// A sandbox with two clients, logging into `handler`, for the duration of `body`.
    static func withSandbox(
        logs handler: InMemoryLogHandler = InMemoryLogHandler(),
        _ body: @Sendable (_ url: URL, _ transport: AHCTransport, _ logger: Logger) async throws -> Void
    ) async throws {
        var logger = Logger(label: "security-test", factory: { _ in handler })
        logger.logLevel = .trace
        try await SandboxServer.withRunningSandbox(configuration: SandboxConfiguration(port: 0, clients: [alice, bob], logger: logger)) { sandbox in
            try await AHCTransport.withTransport { transport in
                try await body(try #require(URL(string: sandbox.url)), transport, logger)
            }
        }
    }

    static func client(_ registration: ClientRegistration?, _ url: URL, _ transport: AHCTransport, logger: Logger,
                       placement: CredentialPlacement = .headers) -> OAuthClient {
        OAuthClient(
            environment: .custom(url), credentials: registration.map { ClientCredentials(clientID: $0.id, secret: $0.secret) },
            transport: transport, logger: logger,
            configuration: .init(credentialPlacement: placement, retry: .never)
        )
    }

    /// The error `body` throws, as an ``OAuthError``.
    static func oauthError(_ body: () async throws -> Void) async -> OAuthError? {
        do {
            try await body()
            return nil
        } catch {
            return detail(error, OAuthError.self)
        }
    }

    // MARK: Redaction

    @Test("no secret or token appears in any log line, error or description of either side, whatever the placement")
    func redactionAcrossLogsErrorsAndDescriptions() async throws {
        let handler = InMemoryLogHandler()
        try await Self.withSandbox(logs: handler) { url, transport, logger in
            var forbidden = [Self.alice.secret, Self.bob.secret, "wrong-secret-Hx82Lq"]
            var texts: [String] = []
            var errors: [any Error] = []
            for placement in [CredentialPlacement.headers, .basic, .body(), .body(secretField: .clientSecret)] {
                let alice = Self.client(Self.alice, url, transport, logger: logger, placement: placement)
                let first = try await alice.clientCredentials()
                let second = try await alice.refresh(first.refreshToken)
                forbidden += [first.accessToken, first.refreshToken, second.accessToken, second.refreshToken]
                _ = try await alice.introspect(second.accessToken)
                // Reuse of the spent refresh token: an error that concerns a token.
                do { _ = try await alice.refresh(first.refreshToken) } catch { errors.append(error) }
                try await alice.revoke(second.refreshToken)
                texts += ["\(first)", String(reflecting: first), "\(second)", "\(OAuthTokenRequest.refresh(second.refreshToken))"]
                texts.append(Self.dumped(OAuthTokenRequest.refresh(second.refreshToken)))
                texts.append(Self.dumped(OAuthIntrospectRequest(token: second.accessToken, clientID: Self.alice.id, secret: Self.alice.secret)))
                texts.append("\(OAuthRevokeRequest(token: second.accessToken, secret: Self.alice.secret))")
                texts.append("\(ClientCredentials(clientID: Self.alice.id, secret: Self.alice.secret))")
                texts.append(Self.dumped(ClientCredentials(clientID: Self.alice.id, secret: Self.alice.secret)))
                let wrong = OAuthClient(
                    environment: .custom(url), credentials: ClientCredentials(clientID: Self.alice.id, secret: "wrong-secret-Hx82Lq"),
                    transport: transport, logger: logger, configuration: .init(credentialPlacement: placement, retry: .never)
                )
                do { _ = try await wrong.clientCredentials() } catch { errors.append(error) }
            }
            // A server that is not there: a transport error.
            let nowhere = OAuthClient(
                environment: .custom(URL(string: "http://127.0.0.1:1")!),
                credentials: ClientCredentials(clientID: Self.alice.id, secret: Self.alice.secret), transport: transport, logger: logger,
                configuration: .init(retry: .never)
            )
            do { _ = try await nowhere.introspect(forbidden[3]) } catch { errors.append(error) }

            #expect(errors.count == 9)
            texts += errors.map { "\($0)" } + errors.map { String(reflecting: $0) } + errors.map { $0.localizedDescription }
            let entries = handler.entries
            #expect(entries.count > 20, "both sides logged at trace level")
            texts += entries.map { entry in
                "\(entry.message) \(entry.metadata.map { "\($0.key)=\($0.value)" }.joined(separator: " ")) \(entry.error.map { "\($0)" } ?? "")"
            }
            for text in texts {
                for secret in forbidden { #expect(!text.contains(secret), "\"\(text)\" reveals a secret or token") }
            }
        }
    }

    @Test("no identity field appears in any log line at trace, error or description, on success or refusal")
    func identityNeverLogged() async throws {
        let handler = InMemoryLogHandler()
        try await Self.withSandbox(logs: handler) { url, transport, logger in
            let client = Self.client(Self.alice, url, transport, logger: logger, placement: .body())
            let identity = ClientUserIdentity(
                name: .init(givenName: "Zebedee", familyName: "Quillfeather"), dateOfBirth: "1971-04-03",
                emails: [.init(data: "zq@private.example", primary: true)], phoneNumbers: [.init(data: "+14155559876", primary: true)],
                addresses: [.init(street1: "77 Hidden Lane", city: "Secretville", country: "US", postalCode: "99501", primary: true)],
                idNumbers: [.init(value: "987654321", type: "us_ssn")])
            let created = try await client.createUser(UserCreateRequest(clientUserID: "private-1", identity: identity))
            var refused = identity
            refused.dateOfBirth = "1971-13-03"
            var errors: [any Error] = []
            do { _ = try await client.createUser(UserCreateRequest(clientUserID: "private-2", identity: refused)) } catch {
                errors.append(error)
            }
            #expect(errors.count == 1)
            var texts = errors.map { "\($0)" } + errors.map { String(reflecting: $0) }
            texts += ["\(identity)", Self.dumped(identity), Self.dumped(UserCreateRequest(clientUserID: "p", identity: identity)), "\(created)"]
            let entries = handler.entries
            #expect(!entries.isEmpty)
            texts += entries.map { entry in
                "\(entry.message) \(entry.metadata.map { "\($0.key)=\($0.value)" }.joined(separator: " ")) \(entry.error.map { "\($0)" } ?? "")"
            }
            for text in texts {
                for value in ["Zebedee", "Quillfeather", "1971", "zq@private", "5559876", "Hidden Lane", "Secretville", "99501", "987654321"] {
                    #expect(!text.contains(value), "\"\(text)\" reveals an identity field")
                }
            }
        }
    }

    static func dumped(_ value: some Any) -> String {
        var text = ""
        dump(value, to: &text)
        return text
    }

    // MARK: Constant-time comparisons

    @Test("a secret digest rejects a mismatch in the first byte and in the last byte alike, and any other length")
    func secretDigestComparesWholeValues() {
        let secret = "s3cret-value-0123456789"
        let digest = SecretDigest(hashing: secret)
        #expect(digest.matches(secret))
        let early = "X" + secret.dropFirst()
        let late = secret.dropLast() + "X"
        #expect(!digest.matches(early))
        #expect(!digest.matches(String(late)))
        for other in ["", String(secret.dropLast()), secret + "0", secret.uppercased()] { #expect(!digest.matches(other)) }
        // A digest read back from damaged storage (wrong length) is a mismatch, not a crash.
        let truncated = SecretDigest(salt: digest.salt, mac: Array(digest.mac.prefix(16)))
        #expect(!truncated.matches(secret))
        #expect(!"\(digest)".contains(secret))
    }

    @Test("an unknown client id and a wrong secret get the same answer, so neither is told apart")
    func unknownClientAndWrongSecretAreIndistinguishable() async throws {
        try await Self.withSandbox { url, transport, logger in
            let attempts = [
                ClientCredentials(clientID: Self.alice.id, secret: "X" + Self.alice.secret.dropFirst()),
                ClientCredentials(clientID: Self.alice.id, secret: Self.alice.secret.dropLast() + "X"),
                ClientCredentials(clientID: "client-nobody", secret: Self.alice.secret),
            ]
            var answers: [String] = []
            for credentials in attempts {
                let client = OAuthClient(
                    environment: .custom(url), credentials: credentials, transport: transport, logger: logger, configuration: .init(retry: .never)
                )
                let error = try #require(await Self.oauthError { _ = try await client.clientCredentials() })
                #expect(error.code == .invalidClient)
                #expect(error.status == 401)
                answers.append("\(error.status) \(error.code.rawValue) \(error.errorDescription ?? "")")
            }
            #expect(Set(answers).count == 1, "\(answers)")
        }
    }

    // MARK: Refresh-token reuse

    @Test("a refresh token works once; presenting it again is invalid_grant and revokes every token of its family")
    func refreshTokenReuseRevokesTheFamily() async throws {
        try await Self.withSandbox { url, transport, logger in
            let alice = Self.client(Self.alice, url, transport, logger: logger)
            let first = try await alice.clientCredentials()
            let second = try await alice.refresh(first.refreshToken)
            let third = try await alice.refresh(second.refreshToken)
            #expect(try await alice.introspect(third.accessToken).active)

            let reuse = await Self.oauthError { _ = try await alice.refresh(first.refreshToken) }
            #expect(reuse?.code == .invalidGrant)
            #expect(reuse?.status == 400)
            for token in [first.accessToken, second.accessToken, third.accessToken, third.refreshToken] {
                #expect(try await !alice.introspect(token).active)
            }
            let afterReuse = await Self.oauthError { _ = try await alice.refresh(third.refreshToken) }
            #expect(afterReuse?.code == .invalidGrant)
            // Another family of the same client is untouched.
            let other = try await alice.clientCredentials()
            #expect(try await alice.introspect(other.accessToken).active)
        }
    }

    // MARK: Cross-client access

    @Test("client B can neither see, refresh, revoke nor exchange client A's tokens, and its attempts leave them intact")
    func crossClientAccessIsRefused() async throws {
        try await Self.withSandbox { url, transport, logger in
            let alice = Self.client(Self.alice, url, transport, logger: logger)
            let bob = Self.client(Self.bob, url, transport, logger: logger)
            let tokens = try await alice.clientCredentials(scope: [.exchange])

            for token in [tokens.accessToken, tokens.refreshToken] {
                let seen = try await bob.introspect(token)
                #expect(seen == OAuthIntrospectResponse(active: false, requestID: seen.requestID))
            }
            let refresh = await Self.oauthError { _ = try await bob.refresh(tokens.refreshToken) }
            #expect(refresh?.code == .invalidGrant)
            let exchange = await Self.oauthError { _ = try await bob.exchangeRefreshToken(tokens.refreshToken, for: Self.bob.id) }
            #expect(exchange != nil)
            // Revocation answers 200 for tokens the caller does not own (RFC 7009 §2.2), without effect.
            try await bob.revoke(tokens.accessToken)
            try await bob.revoke(tokens.refreshToken)

            #expect(try await alice.introspect(tokens.accessToken).active)
            #expect(try await alice.introspect(tokens.refreshToken).active)
            // Bob's refresh attempt did not count as reuse of Alice's token.
            let rotated = try await alice.refresh(tokens.refreshToken)
            #expect(try await alice.introspect(rotated.accessToken).active)
        }
    }
}
