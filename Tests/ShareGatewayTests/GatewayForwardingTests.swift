import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import ShareGateway

@Suite("Gateway forwarding and credential handling")
struct GatewayForwardingTests {
    @Test("allowed paths are forwarded with the gateway's credentials injected")
    func forwardsWithInjectedCredentials() async throws {
        try await RecordingUpstream.run { upstream in
            try await withGateway(upstream: upstream) { client in
                try await client.execute(
                    uri: "/oauth/token", method: .post, headers: [.contentType: "application/json"],
                    body: .json(#"{"grant_type":"client_credentials"}"#)
                ) { (response) async throws in
                    #expect(response.status == .ok)
                    let received = try RecordingUpstream.Received(response.body)
                    #expect(received.path == "/oauth/token")
                    #expect(received.values("plaid-client-id") == [TestCredentials.clientID])
                    #expect(received.values("plaid-secret") == [TestCredentials.secret])
                    #expect(received.values("authorization").isEmpty)
                    #expect(received.body == #"{"grant_type":"client_credentials"}"#)
                }
            }
        }
    }

    @Test("client-supplied credential headers are replaced, never passed through")
    func clientCredentialHeadersReplaced() async throws {
        try await RecordingUpstream.run { upstream in
            try await withGateway(upstream: upstream) { client in
                var headers: HTTPFields = [.contentType: "application/json"]
                headers[HTTPField.Name("PLAID-CLIENT-ID")!] = "attacker-id"
                headers[HTTPField.Name("Plaid-Secret")!] = "attacker-secret"
                headers.append(HTTPField(name: HTTPField.Name("plaid-secret")!, value: "attacker-secret-2"))
                headers[.authorization] = "Basic YXR0YWNrZXI6c2VjcmV0"
                headers[.xGatewayKey] = "some-key"
                headers[.cookie] = "session=abc"
                headers[HTTPField.Name("X-Forwarded-For")!] = "10.0.0.1"
                headers[HTTPField.Name("X-Forwarded-Host")!] = "evil.test"
                headers[HTTPField.Name("Forwarded")!] = "for=10.0.0.1"
                headers[HTTPField.Name("X-Original-URL")!] = "/admin"
                headers[HTTPField.Name("Plaid-Version")!] = "2020-09-14"
                try await client.execute(uri: "/oauth/introspect", method: .post, headers: headers, body: .json(#"{"token":"pda-x"}"#)) { (response) async throws in
                    let received = try RecordingUpstream.Received(response.body)
                    #expect(received.values("plaid-client-id") == [TestCredentials.clientID])
                    #expect(received.values("plaid-secret") == [TestCredentials.secret])
                    #expect(received.values("authorization").isEmpty)
                    for dropped in ["x-gateway-key", "cookie", "x-forwarded-for", "x-forwarded-host", "forwarded", "x-original-url"] {
                        #expect(received.values(dropped).isEmpty, "\(dropped) was forwarded")
                    }
                    #expect(received.values("plaid-version") == ["2020-09-14"])
                    #expect(!received.headers.contains { $0.1.contains("attacker") })
                }
            }
        }
    }

    @Test("body credentials are removed from JSON and form bodies")
    func bodyCredentialsRemoved() async throws {
        try await RecordingUpstream.run { upstream in
            try await withGateway(upstream: upstream) { client in
                try await client.execute(
                    uri: "/oauth/token", method: .post, headers: [.contentType: "application/json; charset=utf-8"],
                    body: .json(#"{"client_id":"attacker","secret":"s","client_secret":"t","grant_type":"client_credentials"}"#)
                ) { (response) async throws in
                    let received = try RecordingUpstream.Received(response.body)
                    #expect(received.body == #"{"grant_type":"client_credentials"}"#)
                }
                try await client.execute(
                    uri: "/oauth/revoke", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: "client_id=attacker&client%5Fsecret=t&token=pdr-1&secret=s")
                ) { (response) async throws in
                    let received = try RecordingUpstream.Received(response.body)
                    #expect(received.body == "token=pdr-1")
                    #expect(received.values("plaid-secret") == [TestCredentials.secret])
                }
            }
        }
    }

    @Test("share-token routes get the share API key as a bearer token")
    func shareRoutesGetAPIKey() async throws {
        try await RecordingUpstream.run { upstream in
            try await withGateway(upstream: upstream) { client in
                try await client.execute(
                    uri: "/api/v1/connect/share-tokens/st_1?limit=5&secret=x", method: .get,
                    headers: [.authorization: "Bearer attacker"]
                ) { (response) async throws in
                    let received = try RecordingUpstream.Received(response.body)
                    #expect(received.path == "/api/v1/connect/share-tokens/st_1")
                    #expect(received.query == "limit=5")
                    #expect(received.values("authorization") == ["Bearer \(TestCredentials.shareAPIKey)"])
                    #expect(received.values("plaid-secret").isEmpty)
                }
            }
        }
    }

    @Test("the normalised path is what gets forwarded")
    func normalisedPathForwarded() async throws {
        try await RecordingUpstream.run { upstream in
            try await withGateway(upstream: upstream) { client in
                try await client.execute(uri: "//oauth/./%74oken", method: .post) { (response) async throws in
                    #expect(response.status == .ok)
                    #expect(try RecordingUpstream.Received(response.body).path == "/oauth/token")
                }
            }
        }
    }

    @Test("X-Request-Id is propagated when well-formed, replaced otherwise, and echoed back")
    func requestIDPropagation() async throws {
        try await RecordingUpstream.run { upstream in
            try await withGateway(upstream: upstream) { client in
                try await client.execute(uri: "/oauth/token", method: .post, headers: [.xRequestID: "client-req-1"]) { (response) async throws in
                    #expect(try RecordingUpstream.Received(response.body).values("x-request-id") == ["client-req-1"])
                }
                try await client.execute(uri: "/oauth/token", method: .post, headers: [.xRequestID: "bad id\u{7f}with junk"]) { (response) async throws in
                    let forwarded = try RecordingUpstream.Received(response.body).values("x-request-id")
                    #expect(forwarded.count == 1)
                    #expect(forwarded.first != "bad id\u{7f}with junk")
                    #expect(response.headers[.xRequestID] == forwarded.first)
                }
                try await client.execute(uri: "/oauth/token", method: .post) { (response) async throws in
                    let forwarded = try RecordingUpstream.Received(response.body).values("x-request-id")
                    let generated = try #require(forwarded.first)
                    #expect(generated.count == 15)
                    #expect(RequestID.isAcceptable(generated))
                }
            }
        }
    }

    @Test("hop-by-hop and upstream CORS headers are not relayed to the client")
    func responseHeadersFiltered() async throws {
        try await RecordingUpstream.run { upstream in
            try await withGateway(upstream: upstream) { client in
                // A raw connection: HTTP clients set `Connection` themselves.
                let response = try await RawHTTPConnection.with(port: try #require(client.port)) { connection in
                    try await connection.request("POST", "/oauth/token", headers: ["TE: trailers", "Connection: X-Custom", "X-Custom: 1"])
                }
                #expect(response.status == 200)
                #expect(response.header("Keep-Alive") == nil)
                #expect(response.header("Access-Control-Allow-Origin") == nil)
                let received = try RecordingUpstream.Received(ByteBuffer(string: response.body))
                #expect(received.values("te").isEmpty)
                #expect(received.values("x-custom").isEmpty)
                #expect(received.values("connection").isEmpty)
            }
        }
    }

    @Test("token exchange is limited to --allow-audience partners")
    func audienceAllowlist() async throws {
        try await RecordingUpstream.run { upstream in
            let configuration = testConfiguration { $0.allowedAudiences = ["experian"] }
            try await withGateway(upstream: upstream, configuration) { client in
                let exchange = "urn:ietf:params:oauth:grant-type:token-exchange"
                try await client.execute(
                    uri: "/oauth/token", method: .post, headers: [.contentType: "application/json"],
                    body: .json(#"{"grant_type":"\#(exchange)","audience":"urn:plaid:params:cra-partner:experian","subject_token":"usr_1","subject_token_type":"urn:plaid:params:credit:multi-user"}"#)
                ) { (response) async throws in
                    #expect(response.status == .ok)
                }
                try await client.execute(
                    uri: "/oauth/token", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: "grant_type=\(exchange)&audience=urn%3Aplaid%3Aparams%3Acra-partner%3Afreddie-mac")
                ) { (response) async throws in
                    #expect(response.status == .badRequest)
                    let error = try #require(JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                    #expect(error["error"] as? String == "invalid_target")
                    #expect(error["request_id"] as? String == response.headers[.xRequestID])
                }
            }
        }
    }
}
