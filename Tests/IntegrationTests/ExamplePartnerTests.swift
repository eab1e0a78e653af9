import Foundation
import Logging
import PartnerExperian
import PartnerFannieMae
import PartnerFreddieMac
import ShareClient
import ShareCredentials
import ShareModels
import SharePartners
import ShareSandbox
import ShareTransportAHC
import Testing

/// The plugin path: a partner defined in this test target is registered once and understood by the
/// client and the sandbox alike, with no change to any ShareKit package.
@Suite("Example partner, end to end")
struct ExamplePartnerTests {
    static let registry = try! PartnerRegistry([Experian(), FannieMae(), FreddieMac(), NorthwindBureau()])
    static let lender = ClientCredentials(clientID: "lender", secret: "lender-secret")
    static let northwindClient = ClientCredentials(clientID: "northwind-client", secret: "northwind-secret")

    func withSandbox(_ body: (OAuthClient, OAuthClient) async throws -> Void) async throws {
        var configuration = SandboxConfiguration(
            host: "127.0.0.1", port: 0,
            clients: [
                ClientRegistration(id: Self.lender.clientID, secret: "lender-secret"),
                ClientRegistration(id: Self.northwindClient.clientID, secret: "northwind-secret", partner: .northwind),
            ],
            partners: Self.registry)
        configuration.logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        try await SandboxServer.withRunningSandbox(configuration: configuration) { sandbox in
            try await AHCTransport.withTransport { transport in
                let url = URL(string: sandbox.url)!
                let lender = OAuthClient(environment: .custom(url), credentials: Self.lender, transport: transport, partners: Self.registry)
                let northwind = OAuthClient(
                    environment: .custom(url), credentials: Self.northwindClient, transport: transport, partners: Self.registry)
                try await body(lender, northwind)
            }
        }
    }

    @Test("a lender shares with the example partner, which introspects the token with its own credentials")
    func shareWithExamplePartner() async throws {
        try await withSandbox { lender, northwind in
            let user = try await lender.createUser(UserCreateRequest(clientUserID: "applicant-1"))
            let grant = try await lender.share(user: user.userID, with: [.northwind, .fannieMae], scope: .read)
            #expect(grant.partners == [.northwind, .fannieMae])
            #expect(grant.audience.wireValue == "urn:plaid:params:cra-partner:northwind,urn:plaid:params:cra-partner:fannie-mae")
            let seen = try await northwind.introspect(grant.accessToken)
            #expect(seen.active)
            #expect(seen.aud == grant.audience.wireValue)
            #expect(seen.userID == user.userID.rawValue)
        }
    }

    @Test("the example partner's own rule is enforced before any network call")
    func ownRule() async throws {
        try await withSandbox { lender, _ in
            let user = try UserID("usr_example")
            await #expect {
                _ = try await lender.share(user: user, with: [.northwind, .fannieMae, .experian])
            } throws: { detail($0, PartnerRegistryError.self)?.code == .rejected }
            // And by its alias.
            let prepared = try lender.prepareShare(user: user, with: ["ncb"])
            #expect(prepared.request.audience?.wireValue == "urn:plaid:params:cra-partner:northwind")
        }
    }

    @Test("the sandbox rejects an audience naming a partner it does not know")
    func sandboxUsesTheSameRegistry() async throws {
        try await withSandbox { lender, _ in
            let user = try await lender.createUser(UserCreateRequest(clientUserID: "applicant-2"))
            let request = OAuthTokenRequest.creditMultiUser(
                user: user.userID, audience: Audience("urn:plaid:params:cra-partner:unknown-bureau"))
            do {
                _ = try await lender.token(request)
                Issue.record("an unknown partner URN was accepted")
            } catch let error as ShareClientError {
                #expect(error.code == .apiRefused)
                #expect(detail(error, OAuthError.self)?.code == .invalidRequest)
                #expect(error.status == 400)
            }
        }
    }
}
