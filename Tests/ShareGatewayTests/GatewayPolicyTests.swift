import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import ShareGateway

/// Policy decisions the gateway makes on its own. The upstream here is a closed port, so any
/// request that reached it would come back 502: the expected statuses prove it was not contacted.
@Suite("Gateway policy")
struct GatewayPolicyTests {
    static let closedUpstream = "http://127.0.0.1:1"

    func errorBody(_ response: TestResponse) throws -> [String: Any] {
        #expect(response.headers[.contentType] == "application/json")
        return try #require(JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    @Test("paths off the allowlist are 404 in the OAuth error shape")
    func unlistedPathsAre404() async throws {
        try await withGateway(upstream: Self.closedUpstream) { client in
            for path in ["/", "/sandbox/reset", "/oauth/tokens", "/user/create/extra", "/api/v1/connect/other", "/healthz/x"] {
                try await client.execute(uri: path, method: .post) { (response) async throws in
                    #expect(response.status == .notFound, "\(path)")
                    let body = try errorBody(response)
                    #expect(body["error"] as? String == "not_found")
                    #expect(body["request_id"] as? String == response.headers[.xRequestID])
                    #expect(body["error_description"] is String)
                }
            }
        }
    }

    @Test("normalisation bypass attempts never reach the upstream")
    func bypassAttemptsRefused() async throws {
        try await withGateway(upstream: Self.closedUpstream) { client in
            let attempts = [
                "/oauth/token/../../admin", "/oauth/token/%2e%2e/admin", "/oauth/token/%2E%2E/%2e%2e/admin",
                "/api/v1/connect/share-tokens/..%2f..%2fadmin", "/oauth%2ftoken", "/oauth\\token", "/oauth/token%00",
                "/oauth/token%5c..%5cadmin", "/api/v1/connect/share-tokens/%2e%2e",
            ]
            let port = try #require(client.port)
            for path in attempts {
                // Sent byte for byte: an HTTP client would refuse or re-encode most of these.
                let response = try await RawHTTPConnection.with(port: port) { connection in try await connection.request("POST", path) }
                #expect(response.status == 400 || response.status == 404, "\(path) → \(response.status)")
                #expect(response.header("Content-Type") == "application/json")
                #expect(response.body.contains(#""error":"#), "\(path)")
            }
        }
    }

    @Test("bodies over the limit are 413, by Content-Length or by streaming")
    func sizeLimit() async throws {
        let configuration = testConfiguration { $0.maximumBodySize = 1024 }
        try await withGateway(upstream: Self.closedUpstream, configuration) { client in
            let big = ByteBuffer(string: "{\"a\":\"" + String(repeating: "x", count: 2000) + "\"}")
            try await client.execute(uri: "/oauth/token", method: .post, headers: [.contentType: "application/json"], body: big) { (response) async throws in
                #expect(response.status == .contentTooLarge)
                #expect(try errorBody(response)["error"] as? String == "request_too_large")
            }
        }
    }

    @Test("bodies that are neither JSON nor form are 415; malformed bodies are 400")
    func bodyFormats() async throws {
        try await withGateway(upstream: Self.closedUpstream) { client in
            try await client.execute(uri: "/oauth/token", method: .post, headers: [.contentType: "text/plain"], body: ByteBuffer(string: "client_id=x")) { (response) async throws in
                #expect(response.status == .unsupportedMediaType)
            }
            try await client.execute(uri: "/oauth/token", method: .post, body: ByteBuffer(string: #"{"client_id":"x"}"#)) { (response) async throws in
                #expect(response.status == .unsupportedMediaType)
            }
            try await client.execute(uri: "/oauth/token", method: .post, headers: [.contentType: "application/json", .contentEncoding: "gzip"], body: ByteBuffer(string: "{}")) { (response) async throws in
                #expect(response.status == .unsupportedMediaType)
            }
            try await client.execute(uri: "/oauth/token", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: #"{"client_id":"x""#)) { (response) async throws in
                #expect(response.status == .badRequest)
                let body = try errorBody(response)
                #expect(body["error"] as? String == "invalid_request")
            }
        }
    }

    @Test("CORS: allowed origins get a preflight answer from the gateway; others are refused")
    func corsPreflight() async throws {
        let configuration = testConfiguration { $0.cors = try! CORSPolicy(allowedOrigins: ["https://app.example.com"]) }
        try await withGateway(upstream: Self.closedUpstream, configuration) { client in
            let preflight: HTTPFields = [
                .origin: "https://app.example.com", .accessControlRequestMethod: "POST",
                .accessControlRequestHeaders: "content-type, plaid-version, x-request-id, x-gateway-key",
            ]
            try await client.execute(uri: "/oauth/token", method: .options, headers: preflight) { (response) async throws in
                #expect(response.status == .noContent)
                #expect(response.headers[.accessControlAllowOrigin] == "https://app.example.com")
                #expect(response.headers[.accessControlAllowMethods]?.contains("POST") == true)
                #expect(response.headers[.vary]?.contains("Origin") == true)
                #expect(response.headers[.accessControlAllowOrigin] != "*")
            }
            var evil = preflight
            evil[.origin] = "https://app.example.com.evil.test"
            try await client.execute(uri: "/oauth/token", method: .options, headers: evil) { (response) async throws in
                #expect(response.status == .forbidden)
                #expect(response.headers[.accessControlAllowOrigin] == nil)
            }
            try await client.execute(uri: "/oauth/token", method: .post, headers: [.origin: "https://evil.test"]) { (response) async throws in
                #expect(response.status == .forbidden)
                #expect(try errorBody(response)["error"] as? String == "origin_not_allowed")
            }
            // An allowed origin on an unlisted path still learns nothing but a 404, readable by the page.
            try await client.execute(uri: "/admin", method: .post, headers: [.origin: "https://app.example.com"]) { (response) async throws in
                #expect(response.status == .notFound)
                #expect(response.headers[.accessControlAllowOrigin] == "https://app.example.com")
            }
        }
    }

    @Test("CORS headers decorate forwarded answers for allowed origins")
    func corsOnForwardedResponses() async throws {
        try await RecordingUpstream.run { upstream in
            let configuration = testConfiguration { $0.cors = try! CORSPolicy(allowedOrigins: ["http://localhost:3000"]) }
            try await withGateway(upstream: upstream, configuration) { client in
                try await client.execute(uri: "/oauth/token", method: .post, headers: [.origin: "http://localhost:3000"]) { (response) async throws in
                    #expect(response.status == .ok)
                    #expect(response.headers[.accessControlAllowOrigin] == "http://localhost:3000")
                    #expect(response.headers[.vary]?.contains("Origin") == true)
                    #expect(response.headers[.accessControlExposeHeaders]?.contains("X-Request-Id") == true)
                }
            }
        }
    }

    @Test("frontend keys: missing or wrong keys are 401; a right key passes and is not forwarded")
    func frontendKeys() async throws {
        try await RecordingUpstream.run { upstream in
            let configuration = testConfiguration { $0.frontendKeys = ["frontend-key-0123456789"] }
            try await withGateway(upstream: upstream, configuration) { client in
                try await client.execute(uri: "/oauth/token", method: .post) { (response) async throws in
                    #expect(response.status == .unauthorized)
                    #expect(try errorBody(response)["error"] as? String == "invalid_gateway_key")
                }
                try await client.execute(uri: "/oauth/token", method: .post, headers: [.xGatewayKey: "frontend-key-012345678"]) { (response) async throws in
                    #expect(response.status == .unauthorized)
                }
                try await client.execute(uri: "/oauth/token", method: .post, headers: [.xGatewayKey: "frontend-key-0123456789"]) { (response) async throws in
                    #expect(response.status == .ok)
                    #expect(try RecordingUpstream.Received(response.body).values("x-gateway-key").isEmpty)
                }
                // Operations endpoints need no key.
                try await client.execute(uri: "/healthz", method: .get) { (response) async throws in
                    #expect(response.status == .ok)
                }
            }
        }
    }

    @Test("the rate limit answers 429 with Retry-After once a client's burst is spent")
    func rateLimit() async throws {
        // One token per 1,000 s: the wait the gateway announces stays near 1,000 s however slowly
        // this test runs, so the assertion does not depend on the machine's speed.
        let configuration = testConfiguration { $0.rateLimit = .init(ratePerSecond: 0.001, burst: 3) }
        try await withGateway(upstream: Self.closedUpstream, configuration) { client in
            for _ in 0..<3 {
                try await client.execute(uri: "/not-forwarded", method: .post) { (response) async throws in
                    #expect(response.status == .notFound)
                }
            }
            try await client.execute(uri: "/oauth/token", method: .post) { (response) async throws in
                #expect(response.status == .tooManyRequests)
                let retryAfter = try #require(response.headers[.retryAfter].flatMap { Int($0) })
                #expect((900...1000).contains(retryAfter))
                #expect(try errorBody(response)["error"] as? String == "rate_limited")
            }
            // Operations endpoints draw from the same bucket.
            try await client.execute(uri: "/healthz", method: .get) { (response) async throws in
                #expect(response.status == .tooManyRequests)
            }
        }
    }

    @Test("an unreachable upstream is 502 in the OAuth error shape with the request id")
    func unreachableUpstreamIs502() async throws {
        try await withGateway(upstream: Self.closedUpstream) { client in
            try await client.execute(uri: "/oauth/token", method: .post, headers: [.xRequestID: "req-502"]) { (response) async throws in
                #expect(response.status == .badGateway)
                let body = try errorBody(response)
                #expect(body["error"] as? String == "upstream_unavailable")
                #expect(body["request_id"] as? String == "req-502")
            }
            try await client.execute(uri: "/readyz", method: .get) { (response) async throws in
                #expect(response.status == .serviceUnavailable)
            }
        }
    }

    @Test("metrics count requests by route and status")
    func metricsExposed() async throws {
        try await withGateway(upstream: Self.closedUpstream) { client in
            try await client.execute(uri: "/nope", method: .post) { _ in }
            try await client.execute(uri: "/oauth/token", method: .post) { _ in }
            try await client.execute(uri: "/metrics", method: .get) { (response) async throws in
                #expect(response.status == .ok)
                let text = String(buffer: response.body)
                #expect(text.contains(#"gateway_requests_total{route="unmatched",status="404"} 1"#))
                #expect(text.contains(#"gateway_requests_total{route="/oauth/token",status="502"} 1"#))
                #expect(text.contains(#"gateway_upstream_failures_total{reason="unavailable"} 1"#))
            }
        }
    }
}
