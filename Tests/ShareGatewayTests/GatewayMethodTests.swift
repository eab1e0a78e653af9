import Foundation
import NIOCore
import Testing

@testable import ShareGateway

/// Methods are allowlisted per path: anything else is answered 405 with `Allow`, never forwarded —
/// `CONNECT`, `TRACE`, and lower-case spellings, since methods are case-sensitive.
@Suite("Gateway method allowlist (live)")
struct GatewayMethodTests {
    static let shareTokens = "/api/v1/connect/share-tokens"

    @Test("methods off an entry's list are answered 405 with Allow, at once, and never reach the upstream")
    func unlistedMethodsAreRefused() async throws {
        let attempts: [(method: String, path: String, allow: String)] = [
            ("CONNECT", Self.shareTokens, "GET, POST"), ("TRACE", Self.shareTokens, "GET, POST"), ("get", Self.shareTokens, "GET, POST"),
            ("post", "/oauth/token", "POST"), ("GET", "/oauth/token", "POST"), ("PUT", "/oauth/introspect", "POST"),
            ("DELETE", Self.shareTokens + "/st_1", "GET, POST"), ("OPTIONS", "/oauth/revoke", "POST"), ("HEAD", "/user/create", "POST"),
        ]
        try await GatewayHeaderIntegrityTests.withHeaderGateway { connection, upstream in
            for attempt in attempts {
                try await connection.send("\(attempt.method) \(attempt.path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                let reply = try await connection.readResponse(method: attempt.method, timeout: .seconds(10))
                #expect(reply.status == 405, "\(attempt.method) \(attempt.path)")
                #expect(reply.header("allow") == attempt.allow, "\(attempt.method) \(attempt.path)")
                // A response to HEAD has no body; the others carry the error.
                if attempt.method != "HEAD" { #expect(GatewayHeaderIntegrityTests.errorCode(reply) == "method_not_allowed") }
            }
            #expect(upstream.requests.isEmpty)
        }
    }

    @Test("listed methods are forwarded: POST to the OAuth routes, GET and POST to the share-token API")
    func listedMethodsAreForwarded() async throws {
        try await GatewayHeaderIntegrityTests.withHeaderGateway { connection, upstream in
            for (method, path) in [("POST", "/oauth/token"), ("GET", Self.shareTokens), ("GET", Self.shareTokens + "/st_1"), ("POST", Self.shareTokens + "/st_1/redeem")] {
                let body = method == "POST" ? "{}" : ""
                try await connection.send(
                    GatewayHeaderIntegrityTests.request(method, path, headers: ["Host: 127.0.0.1", "Content-Type: application/json"], body: body))
                let reply = try await connection.readResponse(method: method)
                #expect(reply.status == 200, "\(method) \(path)")
            }
            #expect(upstream.requests.count == 4)
            #expect(upstream.requests.first?.hasPrefix("POST /oauth/token ") == true)
        }
    }

    @Test("allowlist entries take methods: written before the path, upper-case, never CONNECT or TRACE")
    func entryMethodsParse() throws {
        #expect(try PathAllowlist.Entry(parsing: "/x").methods == ["GET", "POST"])
        #expect(try PathAllowlist.Entry(parsing: "POST /oauth/token").methods == ["POST"])
        let subtree = try PathAllowlist.Entry(parsing: "GET,DELETE /api/v1/things…")
        #expect(subtree.methods == ["GET", "DELETE"])
        #expect(subtree.matches("/api/v1/things/1"))
        #expect(subtree.label == "/api/v1/things…")
        for text in ["get /x", "CONNECT /x", "GET,TRACE /x", ",GET /x", "GET, POST /x"] {
            #expect(throws: PathAllowlistError.self, "\(text)") { try PathAllowlist.Entry(parsing: text) }
        }
        #expect(PathAllowlist.default.entry(matching: "/oauth/token")?.methods == ["POST"])
        #expect(PathAllowlist.default.entry(matching: Self.shareTokens + "/st_1/expire")?.methods == ["GET", "POST"])
    }
}

/// With frontend keys configured, the key is checked before the allowlist, so that a caller without
/// one learns nothing about which paths are forwarded; a browser's preflight, which carries no
/// custom header, is still answered.
@Suite("Gateway admission order (live)")
struct GatewayAdmissionOrderTests {
    static let key = "frontend-key-0123456789"
    static let origin = "https://app.example.com"

    @Test("without the key, listed and unlisted paths get the same 401; with it, the unlisted one is 404")
    func keyIsCheckedBeforeTheAllowlist() async throws {
        try await GatewayHeaderIntegrityTests.withHeaderGateway({ $0.frontendKeys = [Self.key] }) { connection, upstream in
            var statuses: [Int] = []
            for (path, key) in [("/oauth/token", nil), ("/internal/admin", nil), ("/oauth/token", "wrong-key-0123456789"), ("/internal/admin", Self.key)] as [(String, String?)] {
                var headers = ["Host: 127.0.0.1", "Content-Type: application/json"]
                if let key { headers.append("X-Gateway-Key: \(key)") }
                try await connection.send(GatewayHeaderIntegrityTests.request("POST", path, headers: headers, body: "{}"))
                let reply = try await connection.readResponse()
                statuses.append(reply.status)
                if reply.status == 401 { #expect(GatewayHeaderIntegrityTests.errorDescription(reply) == "a valid X-Gateway-Key is required") }
            }
            #expect(statuses == [401, 401, 401, 404])
            #expect(upstream.requests.isEmpty)
        }
    }

    @Test("a preflight needs no key and is answered the same on any path; the actual request then needs the key")
    func preflightsNeedNoKey() async throws {
        try await GatewayHeaderIntegrityTests.withHeaderGateway({
            $0.frontendKeys = [Self.key]
            $0.cors = try! CORSPolicy(allowedOrigins: [Self.origin])
        }) { connection, upstream in
            for path in ["/oauth/token", "/internal/admin"] {
                try await connection.send(
                    "OPTIONS \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: \(Self.origin)\r\nAccess-Control-Request-Method: POST\r\n"
                        + "Access-Control-Request-Headers: content-type, x-gateway-key\r\n\r\n")
                let reply = try await connection.readResponse(method: "OPTIONS")
                #expect(reply.status == 204, "\(path)")
                #expect(reply.header("access-control-allow-origin") == Self.origin)
                #expect(reply.header("access-control-allow-headers")?.contains("X-Gateway-Key") == true)
            }
            try await connection.send(
                GatewayHeaderIntegrityTests.request(
                    headers: ["Host: 127.0.0.1", "Origin: \(Self.origin)", "Content-Type: application/json", "X-Gateway-Key: \(Self.key)"], body: "{}"))
            let actual = try await connection.readResponse()
            #expect(actual.status == 200)
            #expect(actual.header("access-control-allow-origin") == Self.origin)
            #expect(upstream.requests.count == 1)
        }
    }
}
