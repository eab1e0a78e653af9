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
            ("CONNECT", Self.shareTokens, "GET, HEAD, POST"), ("TRACE", Self.shareTokens, "GET, HEAD, POST"), ("get", Self.shareTokens, "GET, HEAD, POST"),
            ("post", "/oauth/token", "POST"), ("GET", "/oauth/token", "POST"), ("PUT", "/oauth/introspect", "POST"),
            ("DELETE", Self.shareTokens + "/st_1", "GET, HEAD, POST"), ("OPTIONS", "/oauth/revoke", "POST"), ("HEAD", "/user/create", "POST"),
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

    @Test("HEAD is forwarded, as HEAD, wherever GET is; its answer has GET's head and no body")
    func headIsForwardedWhereGetIs() async throws {
        try await GatewayHeaderIntegrityTests.withHeaderGateway { connection, upstream in
            try await connection.send("HEAD \(Self.shareTokens)/st_1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            let reply = try await connection.readResponse(method: "HEAD")
            #expect(reply.status == 200)
            #expect(reply.header("content-type") == "application/json")
            #expect(upstream.requests.count == 1)
            #expect(upstream.requests.first?.hasPrefix("HEAD \(Self.shareTokens)/st_1 ") == true)
        }
    }

    @Test("allowlist entries take methods: written before the path, upper-case, never CONNECT or TRACE")
    func entryMethodsParse() throws {
        #expect(try PathAllowlist.Entry(parsing: "/x").methods == ["GET", "HEAD", "POST"])
        // HEAD comes with GET, once, right after it; an entry without GET does not get it.
        #expect(try PathAllowlist.Entry(parsing: "POST,GET /x").methods == ["POST", "GET", "HEAD"])
        #expect(try PathAllowlist.Entry(parsing: "HEAD,GET /x").methods == ["HEAD", "GET"])
        #expect(try PathAllowlist.Entry(parsing: "GET /x").allows(method: "HEAD"))
        #expect(try !PathAllowlist.Entry(parsing: "POST /x").allows(method: "HEAD"))
        #expect(try PathAllowlist.Entry(parsing: "POST /oauth/token").methods == ["POST"])
        let subtree = try PathAllowlist.Entry(parsing: "GET,DELETE /api/v1/things…")
        #expect(subtree.methods == ["GET", "HEAD", "DELETE"])
        #expect(subtree.matches("/api/v1/things/1"))
        #expect(subtree.label == "/api/v1/things…")
        for text in ["get /x", "CONNECT /x", "GET,TRACE /x", ",GET /x", "GET, POST /x"] {
            #expect(throws: PathAllowlistError.self, "\(text)") { try PathAllowlist.Entry(parsing: text) }
        }
        #expect(PathAllowlist.default.entry(matching: "/oauth/token")?.methods == ["POST"])
        #expect(PathAllowlist.default.entry(matching: Self.shareTokens + "/st_1/expire")?.methods == ["GET", "HEAD", "POST"])
    }
}
