import Foundation
import Logging
import PartnerExperian
import PartnerFannieMae
import PartnerFreddieMac
import ShareClient
import ShareCredentials
import ShareModels
import SharePartners
import ShareTransport
import ShareTransportAHC
import ShareTransportNIO

/// The documentation's shorter examples, each in a function that gives it the names it uses
/// (`client`, `refreshToken`, `log`, …) as a service would have them. scripts/test-consumer
/// compiles them against ShareKit resolved by URL; IntegrationTests.DocumentationSnippetTests
/// checks that each documented block (`<!-- compiled in: … -->`) stands here line for line.
enum DocumentedFragments {
    /// docs/adding-a-partner.md: the new adapter registered beside the built-in ones.
    static func partnersWithNorthwind() throws -> PartnerRegistry {
        let partners = try PartnerRegistry([Experian(), FannieMae(), FreddieMac(), NorthwindBureau()])
        return partners
    }

    /// docs/client.md, Transport: a transport behind the middleware stack.
    static func middlewareStack(over transport: some HTTPTransport) -> ComposedTransport {
        let stack = transport.with([RequestIDMiddleware(), DeadlineMiddleware(overall: .seconds(30)),
                                    RetryMiddleware(), TimeoutMiddleware(perAttempt: .seconds(10))])
        return stack
    }

    /// docs/client.md, AHCTransport: a transport that reports a refused connection at once.
    static func interactiveTransport() -> AHCTransport {
        let interactive = AHCTransport(configuration: .init(connectTimeout: .seconds(5), retriesConnectionEstablishment: false))
        return interactive
    }

    /// docs/client.md, Which transport: NIOHTTPTransport with more connections per host.
    static func busyTransport() -> NIOHTTPTransport {
        let transport = NIOHTTPTransport(configuration: .init(maximumConnectionsPerHost: 16))
        return transport
    }

    /// docs/client.md, Errors: telling an API refusal from the rest, in a throwing function (the
    /// case Swift 6.3 crashes on without the final `catch`).
    static func refresh(_ refreshToken: String, with client: OAuthClient, log: Logger) async throws {
        do {
            _ = try await client.refresh(refreshToken)
        } catch where error.code == .apiRefused {   // `error` is the ShareClientError that refresh throws
            log.warning("refused", metadata: ["status": "\(error.status ?? 0)", "api.request_id": "\(error.apiRequestID ?? "-")"])
            if (error.underlyingError as? OAuthError)?.code == .invalidGrant { /* a new grant is needed */ }
        } catch {
            throw error   // the rest, passed on explicitly (Swift 6.3 crashes without this catch)
        }
    }

    /// Where a service keeps its rotated refresh token (docs/client.md, TokenManager).
    actor RefreshTokenVault {
        private(set) var stored: String?
        func store(_ refreshToken: String) throws { stored = refreshToken }
    }

    /// docs/client.md, TokenManager: an access token kept fresh, each rotation persisted.
    static func accessToken(from client: OAuthClient, vault: RefreshTokenVault) async throws -> String {
        let tokens = TokenManager(client: client, grant: .clientCredentials(scope: .read),
                                  onRotation: { pair in try? await vault.store(pair.refreshToken) })
        let accessToken = try await tokens.accessToken()
        return accessToken
    }

    /// docs/share-tokens.md, From Swift: both sides of a share token, and a webhook verified.
    static func shareTokenRoundTrip(
        currentSecret: String, previousSecret: String, rawBody: [UInt8], request: (headers: [String: String], path: String)
    ) async throws -> ShareTokenEvent {
        let transport = AHCTransport()
        let lender = ShareTokenClient(environment: .custom(URL(string: "http://127.0.0.1:8080")!),
                                      apiKey: APIKey("demo-lender-api-key"), transport: transport)
        let token = try await lender.create(connectionID: try ConnectionID("cxn_demo"), sourceID: try SourceID("inq_demo"),
                                            ttl: try ShareTokenTTL(seconds: 3600))
        for try await page in lender.list(status: .created, pageSize: 50) { print(page.map(\.id)) }

        // As the destination: the answer is pending; wait (bounded) until the import has finished.
        let bank = ShareTokenClient(environment: .custom(URL(string: "http://127.0.0.1:8080")!),
                                    apiKey: APIKey("demo-bank-api-key"), transport: transport)
        _ = try await bank.redeem(token.id)
        let redeemed = try await bank.waitForRedemption(token.id, timeout: .seconds(10))
        print(redeemed.status, redeemed.destinationID as Any)   // redeemed inq_…
        let connections = try await bank.connections()          // cxn_demo, active

        // In the destination's webhook handler:
        let verifier = WebhookVerifier(secrets: [currentSecret, previousSecret])   // two during a rotation
        let event = try verifier.event(body: rawBody, signatureHeader: request.headers["Persona-Signature"])
        _ = connections
        try await transport.shutdown()
        return event
    }
}
