import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import ShareSandbox
import Testing

@testable import ShareGateway

/// The gateway on a real socket in front of the real sandbox: a frontend with no credentials
/// runs the whole partner-sharing flow, and the sandbox sees only the gateway's credentials.
@Suite("Gateway in front of the sandbox (live)")
struct GatewaySandboxTests {
    func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    func post(_ client: any TestClientProtocol, _ path: String, _ body: String, form: Bool = false, headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var headers = extra
        headers[.contentType] = form ? "application/x-www-form-urlencoded" : "application/json"
        headers[HTTPField.Name("Plaid-Version")!] = "2020-09-14"
        return try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    @Test("a frontend without credentials creates a user, shares with a partner, introspects and revokes")
    func partnerSharingFlow() async throws {
        try await SandboxServer.withRunningSandbox(
            configuration: SandboxConfiguration(port: 0, partners: makePartnerRegistry(), logger: Logger(label: "sandbox", factory: { _ in SwiftLogNoOpLogHandler() }))
        ) { sandbox in
                let configuration = testConfiguration { $0.allowedAudiences = ["experian", "fannie-mae"] }
                let components = try GatewayComponents(configuration: configuration, upstreamBaseURL: sandbox.url, credentials: GatewayLauncher.embeddedCredentials)
                let app = buildApplication(components: components, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
                try await app.test(.live) { client in
                    let user = try await post(client, "/user/create", #"{"client_user_id":"frontend-user-1"}"#)
                    #expect(user.status == .ok)
                    let userID = try #require(json(user)["user_id"] as? String)

                    // Wrong credentials from the client, in headers and body, are replaced by the gateway's.
                    var attacker: HTTPFields = [:]
                    attacker[HTTPField.Name("PLAID-CLIENT-ID")!] = "attacker"
                    attacker[HTTPField.Name("PLAID-SECRET")!] = "wrong"
                    let token = try await post(
                        client, "/oauth/token",
                        #"{"grant_type":"urn:ietf:params:oauth:grant-type:token-exchange","client_id":"attacker","secret":"wrong","subject_token":"\#(userID)","subject_token_type":"urn:plaid:params:credit:multi-user","audience":"urn:plaid:params:cra-partner:experian","scope":"user:read"}"#,
                        headers: attacker)
                    #expect(token.status == .ok, "\(String(buffer: token.body))")
                    let tokenBody = try json(token)
                    let accessToken = try #require(tokenBody["access_token"] as? String)
                    #expect(tokenBody["expires_in"] is Int)
                    #expect(tokenBody["request_id"] is String)

                    let active = try await post(client, "/oauth/introspect", "token=\(accessToken)", form: true)
                    #expect(active.status == .ok)
                    #expect(try json(active)["active"] as? Bool == true)

                    // The audience allowlist stops a partner the operator did not allow.
                    let refused = try await post(
                        client, "/oauth/token",
                        #"{"grant_type":"urn:ietf:params:oauth:grant-type:token-exchange","subject_token":"\#(userID)","subject_token_type":"urn:plaid:params:credit:multi-user","audience":"urn:plaid:params:cra-partner:freddie-mac"}"#)
                    #expect(refused.status == .badRequest)
                    #expect(try json(refused)["error"] as? String == "invalid_target")

                    let revoked = try await post(client, "/oauth/revoke", #"{"token":"\#(accessToken)"}"#)
                    #expect(revoked.status == .ok)
                    let inactive = try await post(client, "/oauth/introspect", #"{"token":"\#(accessToken)"}"#)
                    #expect(try json(inactive)["active"] as? Bool == false)

                    let ready = try await client.execute(uri: "/readyz", method: .get)
                    #expect(ready.status == .ok)
                }
        }
    }

    @Test("sandbox errors pass through in the OAuth shape")
    func sandboxErrorsPassThrough() async throws {
        try await SandboxServer.withRunningSandbox(
            configuration: SandboxConfiguration(port: 0, partners: makePartnerRegistry(), logger: Logger(label: "sandbox", factory: { _ in SwiftLogNoOpLogHandler() }))
        ) { sandbox in
                let components = try GatewayComponents(configuration: testConfiguration(), upstreamBaseURL: sandbox.url, credentials: GatewayLauncher.embeddedCredentials)
                let app = buildApplication(components: components, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
                try await app.test(.live) { client in
                    let response = try await post(client, "/oauth/token", #"{"grant_type":"password"}"#, headers: [.xRequestID: "req-upstream-1"])
                    #expect(response.status == .badRequest)
                    let body = try json(response)
                    #expect(body["error"] as? String == "unsupported_grant_type")
                    #expect(body["request_id"] is String)
                }
        }
    }

    @Test("--upstream embedded starts a sandbox in-process and injects its demo credentials")
    func embeddedUpstream() async throws {
        var configuration = testConfiguration()
        configuration.upstream = .embedded
        let app = try await GatewayLauncher.makeApplication(configuration: configuration, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        try await app.test(.live) { client in
            let response = try await post(client, "/oauth/token", "grant_type=client_credentials", form: true)
            #expect(response.status == .ok, "\(String(buffer: response.body))")
            #expect(try json(response)["token_type"] as? String == "Bearer")
            // Share-token routes get the demo lender's API key; the client's bearer is dropped.
            let share = try await post(
                client, "/api/v1/connect/share-tokens",
                #"{"data":{"attributes":{"connection-id":"\#(ShareTokenDemo.connectionID)","source-id":"\#(ShareTokenDemo.inquiryID)"}}}"#,
                headers: [.authorization: "Bearer attacker-key"])
            #expect(share.status.code / 100 == 2, "\(String(buffer: share.body))")
        }
    }

    @Test("HEAD on a forwarded GET path reaches the sandbox as HEAD: GET's status and headers, no body, the connection still in step")
    func headThroughGateway() async throws {
        var configuration = testConfiguration()
        configuration.upstream = .embedded
        let app = try await GatewayLauncher.makeApplication(configuration: configuration, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        try await app.test(.live) { client in
            try await RawHTTPConnection.with(port: try #require(client.port)) { connection in
                let path = "/api/v1/connect/share-tokens"
                let get = try await connection.request("GET", path)
                #expect(get.status == 200, "\(get.body)")
                #expect(!get.body.isEmpty)
                try await connection.send(RawHTTPConnection.format("HEAD", path))
                let head = try await connection.response(toHEAD: true)
                #expect(head.status == 200)
                #expect(head.body.isEmpty)
                #expect(head.header("content-type") == get.header("content-type"))
                #expect(head.header("content-length") == get.header("content-length"))
                // Had a body followed the HEAD answer, this GET would read it as its status line.
                let after = try await connection.request("GET", path + "?page[size]=1")
                #expect(after.status == 200, "\(after.body)")
                #expect(after.body.hasPrefix("{"))
                // A method off the list is refused with an Allow that now names HEAD.
                let refused = try await connection.request("DELETE", path)
                #expect(refused.status == 405)
                #expect(refused.header("allow") == "GET, HEAD, POST")
            }
        }
    }
}
