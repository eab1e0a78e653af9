import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InMemoryLogging
import Logging
import NIOCore
import Testing

@testable import ShareGateway

/// Attempts to get past the gateway's policy — paths off the allowlist, origins that only look
/// allowed, guessed frontend keys — and a check that its logs never hold what it strips or injects.
@Suite("Gateway security: allowlist and CORS bypass attempts, frontend keys, log redaction")
struct GatewaySecurityTests {
    static let allowedPaths: Set<String> = ["/oauth/token", "/oauth/introspect", "/oauth/revoke", "/user/create"]

    @Test("whatever the spelling of a path, the upstream only ever receives a canonical allowlisted path")
    func upstreamOnlySeesAllowlistedPaths() async throws {
        let attempts = [
            "/OAUTH/TOKEN", "/oauth/token/", "/oauth//token", "/./oauth/token", "//oauth/token", "/oauth/./token",
            "/%6fauth/token", "/oauth/%74oken", "/oauth/token;x=/admin", "/oauth/token%3B/../admin", "/oauth/token/..;/admin",
            "/oauth/token%252e%252e/admin", "/oauth/%252e%252e/admin", "/oauth/%c0%ae%c0%ae/admin", "/oauth/%e0%80%ae/admin",
            "/admin?/oauth/token", "/admin?x=/oauth/token", "/admin#/oauth/token", "/user/create/..", "/user/create/%2E",
            "/api/v1/connect/share-tokens/../../../admin", "/api/v1/connect/share-tokensX", "/api/v1/connect/share-tokens%2F..%2Fx",
            "/oauth/token%09", "/oauth/token%20", "/oauth/tok%65n/%2e", "/oauth/introspect/.%2e/token", "/oauth/revoke/%2E%2E%2F",
            "http://evil.test/oauth/token", "/oauth/token\\..\\admin", "/oauth/token%u002e%u002e", "/%2e/oauth/token",
        ]
        try await RecordingUpstream.run { upstream in
            try await withGateway(upstream: upstream) { client in
                let port = try #require(client.port)
                for path in attempts {
                    // Sent byte for byte: an HTTP client would refuse or re-encode most of these.
                    let response = try await RawHTTPConnection.with(port: port) { connection in
                        try await connection.request("POST", path, headers: ["Content-Type: application/json"], body: "{}")
                    }
                    if response.status == 200 {
                        let received = try RecordingUpstream.Received(ByteBuffer(string: response.body))
                        let forwarded = received.path
                        let allowed = Self.allowedPaths.contains(forwarded) || forwarded.hasPrefix("/api/v1/connect/share-tokens")
                        #expect(allowed, "\(path) reached the upstream as \(forwarded)")
                        #expect(!forwarded.contains(".."), "\(path) reached the upstream as \(forwarded)")
                        #expect(!forwarded.lowercased().contains("%2e"), "\(path) reached the upstream as \(forwarded)")
                        #expect(!forwarded.contains("//"), "\(path) reached the upstream as \(forwarded)")
                    } else {
                        #expect((400..<500).contains(response.status), "\(path) → \(response.status)")
                    }
                }
            }
        }
    }

    @Test("the sandbox's control plane is refused 404 under a wildcard allowlist, in any spelling; only an entry naming it forwards it")
    func sandboxControlPlaneNeedsAnExplicitEntry() async throws {
        let attempts = ["/sandbox/reset", "/sandbox/clock", "/sandbox", "/SANDBOX/reset", "/%73andbox/faults", "//sandbox/./reset", "/sandbox/faults/x"]
        try await GatewayHeaderIntegrityTests.withHeaderGateway({ $0.allowedPaths = try! PathAllowlist(parsing: ["GET,POST /…", "POST /sandbox/clock"]) }) { connection, upstream in
            for path in attempts {
                try await connection.send(GatewayHeaderIntegrityTests.request("POST", path, headers: ["Host: 127.0.0.1", "Content-Type: application/json"], body: "{}"))
                let reply = try await connection.readResponse()
                if path == "/sandbox/clock" {
                    #expect(reply.status == 200, "\(path)")
                } else {
                    #expect(reply.status == 404, "\(path)")
                    #expect(GatewayHeaderIntegrityTests.errorCode(reply) == "not_found", "\(path)")
                }
            }
            // The wildcard still forwards everything else.
            try await connection.send(GatewayHeaderIntegrityTests.request("POST", "/sandboxes/x", headers: ["Host: 127.0.0.1", "Content-Type: application/json"], body: "{}"))
            #expect(try await connection.readResponse().status == 200)
            #expect(upstream.requests.map { $0.components(separatedBy: "\r\n").first ?? "" } == ["POST /sandbox/clock HTTP/1.1", "POST /sandboxes/x HTTP/1.1"])
        }
    }

    @Test("origins that merely resemble an allowed one get no CORS grant, in preflight or in answers, and never a wildcard")
    func lookalikeOriginsAreRefused() async throws {
        let allowed = "https://app.example.com"
        let lookalikes = [
            "null", "https://app.example.com.evil.test", "https://evil-app.example.com", "https://evilapp.example.com",
            "http://app.example.com", "https://app.example.com:8443", "HTTPS://APP.EXAMPLE.COM", "https://app.example.com/",
            "https://app.example.co", "https://app.example.comm", "https://sub.app.example.com",
            "https://app.example.com, https://evil.test", "*", "https://app.example.com%2f.evil.test",
        ]
        try await RecordingUpstream.run { upstream in
            let configuration = testConfiguration { $0.cors = try! CORSPolicy(allowedOrigins: [allowed]) }
            try await withGateway(upstream: upstream, configuration) { client in
                for origin in lookalikes {
                    let preflight: HTTPFields = [.origin: origin, .accessControlRequestMethod: "POST", .accessControlRequestHeaders: "content-type"]
                    try await client.execute(uri: "/oauth/token", method: .options, headers: preflight) { (response) async throws in
                        #expect(response.headers[.accessControlAllowOrigin] == nil, "preflight from \(origin)")
                        #expect(response.headers[.accessControlAllowCredentials] == nil, "preflight from \(origin)")
                        #expect(response.status != .noContent && response.status != .ok, "preflight from \(origin) → \(response.status)")
                    }
                    try await client.execute(
                        uri: "/oauth/token", method: .post, headers: [.origin: origin, .contentType: "application/json"], body: .json("{}")
                    ) { (response) async throws in
                        #expect(response.headers[.accessControlAllowOrigin] == nil, "answer to \(origin)")
                        #expect(response.status == .forbidden, "POST from \(origin) → \(response.status)")
                    }
                }
                // The allowed origin itself: granted by name, never by wildcard.
                try await client.execute(
                    uri: "/oauth/token", method: .post, headers: [.origin: allowed, .contentType: "application/json"], body: .json("{}")
                ) { (response) async throws in
                    #expect(response.status == .ok)
                    #expect(response.headers[.accessControlAllowOrigin] == allowed)
                }
            }
        }
    }

    @Test("frontend keys: only an exact key is accepted; a mismatch in the first or the last byte, a prefix or an extension is not")
    func frontendKeysCompareWholeValues() {
        let first = "frontend-key-0123456789abcdef"
        let second = "another-frontend-key-ZYXWVUTS"
        let keys = FrontendKeys([first, second])
        #expect(keys.accepts(first))
        #expect(keys.accepts(second))
        let near = [
            "X" + first.dropFirst(), first.dropLast() + "X", String(first.dropLast()), first + "0", first.uppercased(), "", first + second,
            String(repeating: "\u{0}", count: first.utf8.count),
        ]
        for candidate in near { #expect(!keys.accepts(candidate), "\(candidate)") }
        #expect(!keys.accepts(nil))
        #expect(!FrontendKeys([]).accepts(first))
    }

    @Test("the gateway's logs at trace level hold neither the credentials it strips nor those it injects")
    func logsHoldNoCredentials() async throws {
        let handler = InMemoryLogHandler()
        let clientSecret = "client-side-secret-5RtQ"
        let basic = "Basic " + Data("frontend-id:\(clientSecret)".utf8).base64EncodedString()
        try await RecordingUpstream.run { upstream in
            let configuration = testConfiguration {
                $0.accessLog = true
                $0.logLevel = .trace
            }
            let components = try GatewayComponents(configuration: configuration, upstreamBaseURL: upstream, metrics: GatewayMetrics())
            let app = buildApplication(components: components, logger: Logger(label: "gateway-security", factory: { _ in handler }))
            try await app.test(.live) { client in
                var headers: HTTPFields = [.contentType: "application/json", .authorization: basic]
                headers[HTTPField.Name("PLAID-SECRET")!] = clientSecret
                try await client.execute(
                    uri: "/oauth/token", method: .post, headers: headers,
                    body: .json(#"{"grant_type":"client_credentials","client_id":"x","secret":"\#(clientSecret)","client_secret":"\#(clientSecret)"}"#)
                ) { (response) async throws in
                    #expect(response.status == .ok)
                }
                try await client.execute(
                    uri: "/oauth/revoke", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: "token=pda-token-in-a-body-123&client_secret=\(clientSecret)")
                ) { (response) async throws in
                    #expect(response.status == .ok)
                }
                try await client.execute(uri: "/admin?secret=\(clientSecret)", method: .get, headers: [.authorization: basic]) {
                    (response) async throws in
                    #expect(response.status == .notFound)
                }
            }
        }
        let entries = handler.entries
        #expect(!entries.isEmpty, "the access log wrote lines")
        let forbidden = [clientSecret, TestCredentials.secret, TestCredentials.shareAPIKey, basic, "pda-token-in-a-body-123"]
        for entry in entries {
            let text = "\(entry.message) \(entry.metadata.map { "\($0.key)=\($0.value)" }.joined(separator: " ")) \(entry.error.map { "\($0)" } ?? "")"
            for secret in forbidden { #expect(!text.contains(secret), "\"\(text)\" reveals a credential") }
        }
    }
}
