import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import PartnerExperian
import PartnerFannieMae
import PartnerFreddieMac
import ShareClient
import ShareCredentials
import ShareModels
import SharePartners
import ShareSandbox
import ShareTransport
import ShareTransportAHC
import ShareTransportNIO

/// The examples in the documentation comments of the packages' sources (DocC shows them on each
/// symbol's page), each in a function that declares the names it uses. scripts/test-consumer
/// compiles them against ShareKit resolved by URL; IntegrationTests.DocumentationSnippetTests
/// checks that every Swift block of a documentation comment stands here line for line.
enum DocCommentExamples {
    /// SharePartners.PartnerRegistry.
    static func partnerRegistry() throws -> PartnerRegistry {
        let partners = try PartnerRegistry([Experian(), FannieMae(), FreddieMac()])
        return partners
    }

    /// SharePartners.PartnerRegistryError.
    static func partnerRegistryError(partners: PartnerRegistry) {
        do {
            _ = try partners.resolve("equifax")
        } catch {   // a PartnerRegistryError: `resolve` throws no other type
            if error.code == .unknownPartner { print(error.knownPartners) }   // [experian, fannie-mae, freddie-mac]
        }
    }

    /// ShareClient.OAuthClient.
    static func oauthClient(logger: Logger) async throws {
        try await AHCTransport.withTransport { transport in
            let client = OAuthClient(
                environment: .sandbox,
                credentials: try EnvironmentCredentialsProvider().requireClientCredentials(),
                transport: transport,
                partners: try PartnerRegistry([Experian(), FannieMae(), FreddieMac()]),
                logger: logger
            )
            let grant = try await client.share(user: "usr_9nSp2KuZ2x4JDw", with: [.fannieMae, .experian], scope: .read)
            print(grant)   // tokens print redacted
        }
    }

    /// ShareClient.OAuthClient.share(user:with:clients:scope:).
    static func share(client: OAuthClient) async throws {
        let grant = try await client.share(user: "usr_9nSp2KuZ2x4JDw", with: [.fannieMae, .experian], scope: .read)
        print(grant.partners)   // [fannie-mae, experian]
    }

    /// ShareClient.ShareClientError.
    static func shareClientError(client: OAuthClient, refreshToken: String) async throws {
        do {
            _ = try await client.refresh(refreshToken)
        } catch where error.code == .apiRefused {   // `error` is the ShareClientError that refresh throws
            print(error.status ?? 0, error.apiRequestID ?? "-")   // 400, the API's request_id
            if (error.underlyingError as? OAuthError)?.code == .invalidGrant { /* a new grant is needed */ }
        } catch {
            throw error   // the rest, passed on explicitly (Swift 6.3 crashes without this catch)
        }
    }

    /// ShareClient.OAuthError.
    static func oauthError(client: OAuthClient, refreshToken: String) async throws {
        do {
            _ = try await client.refresh(refreshToken)
        } catch where (error.underlyingError as? OAuthError)?.code == .invalidGrant {
            print("the refresh token is spent, revoked or expired: a new grant is needed")
        } catch {
            throw error
        }
    }

    /// ShareClient.TokenManager.
    static func tokenManager(client: OAuthClient) async throws -> String {
        let tokens = TokenManager(client: client, tokens: try await client.clientCredentials())
        let accessToken = try await tokens.accessToken()
        return accessToken
    }

    /// ShareClient.ShareTokenClient.
    static func shareTokenClient() async throws {
        try await AHCTransport.withTransport { transport in
            let sandbox = APIEnvironment.custom(URL(string: "http://127.0.0.1:8080")!)
            let lenderTokens = ShareTokenClient(environment: sandbox, apiKey: APIKey("demo-lender-api-key"), transport: transport)
            let token = try await lenderTokens.create(connectionID: try ConnectionID("cxn_demo"),
                                                      sourceID: try SourceID("inq_demo"), ttl: try ShareTokenTTL(seconds: 3600))
            for try await page in lenderTokens.list(status: .created) { print(page.map(\.id)) }
            // As the destination: redemption is asynchronous; wait until it has finished.
            let bankTokens = ShareTokenClient(environment: sandbox, apiKey: APIKey("demo-bank-api-key"), transport: transport)
            let redeemed = try await bankTokens.waitForRedemption(try await bankTokens.redeem(token.id).id)
            print(redeemed.status, redeemed.destinationID as Any)
        }
    }

    /// ShareClient.ShareTokenAPIError.
    static func shareTokenAPIError(shareTokens: ShareTokenClient, id: ShareTokenID) async throws {
        do {
            _ = try await shareTokens.redeem(id)
        } catch where (error.underlyingError as? ShareTokenAPIError)?.status == 409 {
            print("already redeemed")
        } catch {
            throw error
        }
    }

    /// ShareClient.ShareTokenPages.
    static func shareTokenPages(client: ShareTokenClient) async throws {
        for try await page in client.list(direction: .inbound, pageSize: 50) {
            for token in page { print(token.id, token.status) }
        }
    }

    /// ShareClient.WebhookVerifier.
    static func webhookVerifier(
        currentSecret: String, previousSecret: String, rawBody: [UInt8], request: (headers: [String: String], path: String)
    ) throws -> ShareTokenEvent {
        let verifier = WebhookVerifier(secrets: [currentSecret, previousSecret])   // during rotation
        let event = try verifier.event(body: rawBody, signatureHeader: request.headers["Persona-Signature"])
        return event
    }

    /// ShareClient.SandboxControl.
    static func sandboxControl(url: URL, demo: ClientCredentials, transport: some HTTPTransport) async throws {
        let sandbox = SandboxControl(environment: .custom(url), credentials: demo, transport: transport)
        try await sandbox.addFault(.status(503, path: "/oauth/token", times: 2))
        try await sandbox.advance(days: 14)
        try await sandbox.reset()
    }

    /// ShareClient.SandboxControl.Fault.
    static func sandboxFault(sandbox: SandboxControl) async throws {
        let fault = try await sandbox.addFault(.status(503, path: "/oauth/token", times: 2))
        print(fault.id ?? "", fault.remaining ?? 0)    // flt_…, 2
    }

    /// ShareCredentials.CredentialsProvider.
    static func credentialsProvider() throws -> ClientCredentials {
        let provider = CredentialsChain([
            EnvironmentCredentialsProvider(),
            FileCredentialsProvider(path: "/etc/sharekit/credentials.json"),
        ])
        let credentials = try provider.requireClientCredentials()
        return credentials
    }

    /// ShareCredentials.ClientCredentials.
    static func clientCredentials() throws -> ClientCredentials {
        let credentials = try EnvironmentCredentialsProvider().requireClientCredentials()
        return credentials
    }

    /// ShareCredentials.BasicAuthorization.
    static func basicAuthorization(request: HTTPRequest, registered: [ClientCredentials]) throws {
        if let header = request.headerFields[.authorization], BasicAuthorization.isBasic(header) {
            let candidates = try BasicAuthorization.candidates(header)
            let known = candidates.first { registered.contains($0) }   // `==` compares secrets in constant time
            print(known?.clientID ?? "unknown client")
        }
    }

    /// ShareSandbox.SandboxServer.
    static func sandboxServer(configuration: SandboxConfiguration, partners: PartnerRegistry) async throws {
        // In tests, without sockets:
        let app = try await SandboxServer.buildApplication(configuration: configuration)
        try await app.test(.router) { client in   // HummingbirdTesting
            try await client.execute(uri: "/healthz", method: .get) { response in print(response.status) }   // 200 OK
        }

        // In process, on a free port, for the duration of a closure:
        try await SandboxServer.withRunningSandbox(configuration: .init(port: 0, partners: partners)) { sandbox in
            print(sandbox.url)
        }
    }

    /// ShareSandbox.SandboxServer.withRunningSandbox(configuration:isolation:_:).
    static func withRunningSandbox(partners: PartnerRegistry, demo: ClientCredentials, transport: some HTTPTransport) async throws {
        try await SandboxServer.withRunningSandbox(configuration: .init(port: 0, partners: partners)) { sandbox in
            let client = OAuthClient(environment: .custom(URL(string: sandbox.url)!), credentials: demo, transport: transport)
            print(try await client.clientCredentials().expiresIn)   // 900
        }
    }

    /// ShareSandbox.SandboxConfiguration.
    static func sandboxConfiguration() async throws {
        let partners = try PartnerRegistry([Experian(), FannieMae(), FreddieMac()])
        let running = try await SandboxServer.start(configuration: .init(port: 0, partners: partners))
        print(running.url)            // http://127.0.0.1:54021
        try await running.shutdown()
    }

    /// ShareSandbox.SandboxRetention.
    static func sandboxRetention() -> SandboxConfiguration {
        var configuration = SandboxConfiguration(port: 0)
        configuration.retention = SandboxRetention(seconds: 3600)  // an hour instead of a day
        configuration.retention = nil                              // keep everything
        return configuration
    }

    /// ShareSandbox.ConnectionLimits.
    static func connectionLimits(partners: PartnerRegistry) -> SandboxConfiguration {
        var configuration = SandboxConfiguration(port: 0, partners: partners)
        configuration.connectionLimits.maximumConnections = 256
        configuration.connectionLimits.headReadTimeout = .seconds(5)
        return configuration
    }

    /// ShareTransport.RequestIDMiddleware.propagated.
    static func requestID(incomingID: String, client: OAuthClient, token: String) async throws {
        try await RequestIDMiddleware.$propagated.withValue(incomingID) { try await client.introspect(token) }
    }

    /// ShareTransport.ShuttingDownTransport.
    static func shuttingDownTransport(credentials: ClientCredentials, user: UserID) async throws -> ShareGrant {
        let grant = try await AHCTransport.withTransport { transport in
            let client = OAuthClient(environment: .sandbox, credentials: credentials, transport: transport)
            return try await client.share(user: user, with: [.fannieMae], scope: .read)
        }
        return grant
    }

    /// ShareTransport.TransportMiddleware.
    struct UserAgentMiddleware: TransportMiddleware {
        func intercept(_ request: HTTPRequest, body: HTTPBody?, next: TransportNext) async throws -> (HTTPResponse, HTTPBody?) {
            var request = request
            request.headerFields[.userAgent] = "ShareKit"
            return try await next(request, body)
        }
    }

    /// ShareTransport.OperationContext.
    static func operationContext(transport: some HTTPTransport, request: HTTPRequest, body: HTTPBody?) async throws {
        try await OperationContext.$current.withValue(.init(name: "oauth.introspect", isIdempotent: true)) {
            try await transport.send(request, body: body)
        }
    }

    /// ShareTransport.HTTPBody.
    static func httpBody(response: (head: HTTPResponse, body: HTTPBody?)) async throws -> (HTTPBody, [UInt8]) {
        let body = HTTPBody(#"{"token":"…"}"#)
        let bytes = try await response.body?.collect(upTo: 1 << 20) ?? []
        return (body, bytes)
    }

    /// ShareTransportNIO.NIOHTTPTransport.
    static func nioHTTPTransport(credentials: ClientCredentials, token: String) async throws {
        try await NIOHTTPTransport.withTransport { transport in  // on NIO's shared event loops
            let client = OAuthClient(environment: .sandbox, credentials: credentials, transport: transport)
            _ = try await client.introspect(token)
        }
    }

    /// ShareTransportAHC.AHCTransport.
    static func ahcTransport(credentials: ClientCredentials) async throws {
        try await AHCTransport.withTransport { transport in  // shut down when the closure ends
            let client = OAuthClient(environment: .sandbox, credentials: credentials, transport: transport)
            _ = try await client.clientCredentials()
        }
    }
}
