import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

@testable import ShareGateway

/// How the gateway answers the methods and paths it does not forward — HEAD, OPTIONS, unknown
/// routes — and an upstream that refuses the gateway's own credentials; over a real socket.
@Suite("Gateway route answers (live)")
struct GatewayRouteAnswersTests {
    static func body(_ response: TestResponse) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]) ?? [:]
    }

    @Test("HEAD answers wherever GET does, with GET's status and headers and no body")
    func headWhereverGet() async throws {
        try await withGateway(upstream: "http://127.0.0.1:1", testConfiguration { $0.console = true }) { client in
            for path in ["/healthz", "/console/", "/console/console.js", "/metrics"] {
                let get = try await client.execute(uri: path, method: .get)
                let head = try await client.execute(uri: path, method: .head)
                #expect(get.status == .ok, "\(path)")
                #expect(head.status == .ok, "\(path)")
                #expect(head.body.readableBytes == 0, "\(path)")
                #expect(head.headers[.contentType] == get.headers[.contentType], "\(path)")
            }
        }
    }

    @Test("/healthz says it is a share-gateway")
    func healthNamesTheService() async throws {
        try await withGateway(upstream: "http://127.0.0.1:1") { client in
            let response = try await client.execute(uri: "/healthz", method: .get)
            #expect(String(buffer: response.body) == #"{"status":"ok","service":"share-gateway"}"#)
        }
    }

    @Test("OPTIONS on an operations endpoint is 204 with Allow; another method is 405 with Allow")
    func optionsAndOtherMethods() async throws {
        try await withGateway(upstream: "http://127.0.0.1:1", testConfiguration { $0.console = true }) { client in
            for path in ["/console/", "/healthz"] {
                let options = try await client.execute(uri: path, method: .options)
                #expect(options.status == .noContent, "\(path)")
                #expect(options.headers[.allow] == "GET, HEAD, OPTIONS", "\(path)")
                #expect(options.body.readableBytes == 0)
                let delete = try await client.execute(uri: path, method: .delete)
                #expect(delete.status == .methodNotAllowed, "\(path)")
                #expect(delete.headers[.allow] == "GET, HEAD, OPTIONS")
                #expect(Self.body(delete)["error"] as? String == "method_not_allowed")
            }
        }
    }

    @Test("no such route is 404 not_found, from the allowlist and the operations router alike")
    func oneNotFound() async throws {
        try await withGateway(upstream: "http://127.0.0.1:1", testConfiguration { $0.console = true }) { client in
            var descriptions: Set<String> = []
            for path in ["/not/forwarded", "/console/missing.js"] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .notFound, "\(path)")
                let body = Self.body(response)
                #expect(body["error"] as? String == "not_found", "\(path)")
                #expect(body["request_id"] as? String == response.headers[.xRequestID])
                descriptions.insert(body["error_description"] as? String ?? "")
            }
            #expect(descriptions.count == 1)
        }
    }

    @Test("an upstream 401 reaches the client as 502 upstream_credentials_rejected naming the gateway's configuration, not the upstream's ask for credentials")
    func upstreamRefusesGatewayCredentials() async throws {
        let refusal = #"{"error_type":"INVALID_INPUT","error_code":"MISSING_CLIENT_ID","error_message":"send PLAID-CLIENT-ID and PLAID-SECRET headers"}"#
        let metrics = GatewayMetrics()
        try await ScriptedUpstream.run({ _ in
            .init(["HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: \(refusal.utf8.count)\r\n\r\n" + refusal])
        }) { upstream in
            try await withGateway(upstream: upstream.baseURL, metrics: metrics) { client in
                for _ in 0..<2 {
                    let response = try await client.execute(
                        uri: "/user/create", method: .post, headers: [.contentType: "application/json"], body: .json(#"{"client_user_id":"u1"}"#))
                    #expect(response.status == .badGateway)
                    let body = Self.body(response)
                    #expect(body["error"] as? String == "upstream_credentials_rejected")
                    let description = body["error_description"] as? String ?? ""
                    #expect(description.contains("gateway's configuration") && description.contains("PLAID_CLIENT_ID"))
                    #expect(!String(buffer: response.body).contains("PLAID-CLIENT-ID"))
                }
            }
        }
        #expect(String(decoding: metrics.render(), as: UTF8.self).contains(#"gateway_upstream_failures_total{reason="credentials"} 2"#))
    }
}
