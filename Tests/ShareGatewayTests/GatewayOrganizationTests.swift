import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import ShareCredentials
import ShareSandbox
import Testing

@testable import ShareGateway

/// `Share-Organization`: a caller chooses which of the gateway's organizations the share-token API
/// is called as; the gateway injects that organization's key, refuses one it has no key for, and
/// never forwards the header.
@Suite("Gateway organizations (live)")
struct GatewayOrganizationTests {
    static let organizations = UpstreamCredentials(
        apiKey: APIKey("key-b"),
        organizations: [.init(id: "org_a", apiKey: APIKey("key-a")), .init(id: "org_b", apiKey: APIKey("key-b"))])

    func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    func get(_ client: any TestClientProtocol, _ path: String, organization: String?) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let organization { headers[HTTPField.Name("Share-Organization")!] = organization }
        return try await client.execute(uri: path, method: .get, headers: headers)
    }

    @Test("the named organization's key is injected, the default without the header, and the header is not forwarded")
    func injectsTheChosenKey() async throws {
        try await RecordingUpstream.run { upstream in
            try await withGateway(upstream: upstream, testConfiguration { $0.credentials = Self.organizations }) { client in
                let chosen = try RecordingUpstream.Received(try await get(client, "/api/v1/connect/share-tokens", organization: "org_a").body)
                #expect(chosen.values("authorization") == ["Bearer key-a"])
                #expect(chosen.values("share-organization").isEmpty)
                let defaulted = try RecordingUpstream.Received(try await get(client, "/api/v1/connect/share-tokens", organization: nil).body)
                #expect(defaulted.values("authorization") == ["Bearer key-b"])
            }
        }
    }

    @Test("an organization the gateway has no key for is refused, naming those it has")
    func refusesUnknownOrganizations() async throws {
        try await RecordingUpstream.run { upstream in
            try await withGateway(upstream: upstream, testConfiguration { $0.credentials = Self.organizations }) { client in
                let refused = try await get(client, "/api/v1/connect/share-tokens", organization: "org_evil")
                #expect(refused.status == .badRequest)
                let body = try json(refused)
                #expect(body["error"] as? String == "unknown_organization")
                #expect((body["error_description"] as? String)?.contains("org_a, org_b") == true)
                #expect(!String(buffer: refused.body).contains("key-"))
            }
        }
    }

    @Test("the organizations are listed default first, and parsed from ORG=KEY")
    func organizationOrder() throws {
        #expect(Self.organizations.organizationIDs == ["org_b", "org_a"])
        #expect(GatewayLauncher.embeddedCredentials.organizationIDs == ["org_demo-lender", "org_demo-bank"])
        #expect(UpstreamCredentials.Organization(parsing: "org_x=secret") == .init(id: "org_x", apiKey: APIKey("secret")))
        #expect(UpstreamCredentials.Organization(parsing: "org_x") == nil)
        #expect(UpstreamCredentials.Organization(parsing: "=secret") == nil)
        #expect(!Self.organizations.description.contains("key-a"))
    }

    @Test("SHARE_GATEWAY_ORGANIZATION_KEY configures organizations; a malformed entry stops start-up naming the variable")
    func configuration() async throws {
        let command = try GatewayCommand.parse([])
        let configuration = try await command.resolveConfiguration(environment: ["SHARE_GATEWAY_ORGANIZATION_KEY": "org_a=key-a,org_b=key-b"])
        #expect(configuration.credentials.organizations.map(\.id) == ["org_a", "org_b"])
        await #expect {
            _ = try await command.resolveConfiguration(environment: ["SHARE_GATEWAY_ORGANIZATION_KEY": "org_a"])
        } throws: { error in
            let text = "\(error)"
            return text.contains("SHARE_GATEWAY_ORGANIZATION_KEY") && text.contains("ORG=API_KEY")
        }
    }

    @Test("on the embedded sandbox, the demo bank redeems what the demo lender shared")
    func bothDemoOrganizations() async throws {
        try await SandboxServer.withRunningSandbox(
            configuration: SandboxConfiguration(port: 0, partners: makePartnerRegistry(), logger: Logger(label: "sandbox", factory: { _ in SwiftLogNoOpLogHandler() }))
        ) { sandbox in
            let components = try GatewayComponents(configuration: testConfiguration(), upstreamBaseURL: sandbox.url, credentials: GatewayLauncher.embeddedCredentials)
            let app = buildApplication(components: components, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
            try await app.test(.live) { client in
                let created = try await client.execute(
                    uri: "/api/v1/connect/share-tokens", method: .post, headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: #"{"data":{"type":"connect/share-token","attributes":{"connection-id":"\#(ShareTokenDemo.connectionID)","source-id":"inq_demo"}}}"#))
                #expect(created.status == .created, "\(String(buffer: created.body))")
                let id = try #require((try json(created)["data"] as? [String: Any])?["id"] as? String)
                var asBank: HTTPFields = [:]
                asBank[HTTPField.Name("Share-Organization")!] = ShareTokenDemo.destinationOrganizationID
                let asLender = try await client.execute(uri: "/api/v1/connect/share-tokens/\(id)/redeem", method: .post)
                #expect(asLender.status == .notFound)
                let listed = try await client.execute(uri: "/api/v1/connect/share-tokens?filter[direction]=inbound", method: .get, headers: asBank)
                #expect(String(buffer: listed.body).contains(id))
                let redeemed = try await client.execute(uri: "/api/v1/connect/share-tokens/\(id)/redeem", method: .post, headers: asBank)
                #expect(redeemed.status == .ok, "\(String(buffer: redeemed.body))")
            }
        }
    }

    @Test("the console offers the scopes the client is registered for, and no mcp:dashboard when that is unknown")
    func consoleScopes() {
        #expect(ConsoleRoutes.offeredScopes(registered: nil) == ["user:read", "user:write", "exchange"])
        #expect(ConsoleRoutes.offeredScopes(registered: ["user:read", "mcp:dashboard"]) == ["user:read", "mcp:dashboard"])
    }
}
