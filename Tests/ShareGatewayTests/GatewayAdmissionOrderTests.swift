import Foundation
import NIOCore
import Testing

@testable import ShareGateway

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
