import Logging
import NIOCore
import PartnerExperian
import PartnerFannieMae
import PartnerFreddieMac
import ShareClient
import ShareCore
import ShareCredentials
import ShareModels
import SharePartners
import ShareSandbox
import ShareTransport
import ShareTransportAHC
import ShareTransportNIO
import ShareWire

/// The examples of the packages' DocC catalogs (`Packages/*/Sources/*/Documentation.docc`), each
/// in a function that declares the names it uses. scripts/test-consumer compiles them against
/// ShareKit resolved by URL; IntegrationTests.DocumentationSnippetTests checks that every Swift
/// block of a catalog stands here line for line.
enum CatalogExamples {
    /// ShareClient.
    static func shareClient(credentials: ClientCredentials, logger: Logger) async throws {
        try await AHCTransport.withTransport { transport in
            let client = OAuthClient(environment: .sandbox, credentials: credentials, transport: transport,
                                     partners: try PartnerRegistry([Experian(), FannieMae()]), logger: logger)
            let grant = try await client.share(user: "usr_9nSp2KuZ2x4JDw", with: [.fannieMae, .experian], scope: .read)
            print(grant)   // tokens print redacted
        }
    }

    /// ShareCore.
    static func shareCore() throws -> InspectedBody {
        let filter = FormCredentialFilter()
        let inspected = try filter.inspect(ByteBuffer(string: "grant_type=client_credentials&client_id=x"))
        // inspected.body == "grant_type=client_credentials", inspected.removedCredentials == true
        return inspected
    }

    /// ShareCredentials.
    static func shareCredentials() throws -> ClientCredentials {
        let credentials = try CredentialsChain([
            EnvironmentCredentialsProvider(),
            FileCredentialsProvider(path: "/etc/sharekit/credentials.json"),
        ]).requireClientCredentials()
        return credentials
    }

    /// ShareModels.
    static func shareModels() throws -> OAuthTokenRequest {
        let user = try UserID("usr_9nSp2KuZ2x4JDw")
        let request = OAuthTokenRequest.creditMultiUser(user: user, audience: Audience(parsing: "urn:plaid:params:cra-partner:fannie-mae")!, scope: .read)
        return request
    }

    /// PartnerExperian.
    static func partnerExperian() throws -> PartnerRegistry {
        let partners = try PartnerRegistry([Experian()])
        return partners
    }

    /// PartnerFannieMae.
    static func partnerFannieMae() throws -> PartnerRegistry {
        let partners = try PartnerRegistry([FannieMae()])
        return partners
    }

    /// PartnerFreddieMac.
    static func partnerFreddieMac() throws -> PartnerRegistry {
        let partners = try PartnerRegistry([FreddieMac()])
        return partners
    }

    /// SharePartners.
    static func shareParters() throws -> any PartnerAdapter {
        let partners = try PartnerRegistry([FannieMae(), Experian()])
        let fannieMae = try partners.resolve("fnma")
        return fannieMae
    }

    /// ShareSandbox.
    static func shareSandbox(partners: PartnerRegistry) async throws {
        try await SandboxServer.withRunningSandbox(configuration: SandboxConfiguration(port: 0, partners: partners)) { sandbox in
            print(sandbox.url)   // http://127.0.0.1:54021, with the demo clients of SandboxDemo
        }
    }

    /// ShareTransport.
    static func shareTransport(over transport: some HTTPTransport) -> ComposedTransport {
        let stack = transport.with([
            RequestIDMiddleware(),
            DeadlineMiddleware(overall: .seconds(30)),
            RetryMiddleware(policy: .default),
            TimeoutMiddleware(perAttempt: .seconds(10)),
        ])
        return stack
    }

    /// ShareTransportAHC.
    static func shareTransportAHC(credentials: ClientCredentials) async throws {
        try await AHCTransport.withTransport { transport in
            let client = OAuthClient(environment: .sandbox, credentials: credentials, transport: transport)
            _ = try await client.clientCredentials()
        }
    }

    /// ShareTransportNIO.
    static func shareTransportNIO(credentials: ClientCredentials, token: String) async throws {
        try await NIOHTTPTransport.withTransport { transport in
            let client = OAuthClient(environment: .sandbox, credentials: credentials, transport: transport)
            _ = try await client.introspect(token)
        }
    }

    /// ShareWire.
    static func shareWire(request: OAuthTokenRequest) throws -> OAuthTokenRequest {
        let body = try WireFormat.form.encode(request)          // grant_type=client_credentials&scope=…
        let decoded = try WireFormat.form.decode(OAuthTokenRequest.self, from: body)
        return decoded
    }
}
