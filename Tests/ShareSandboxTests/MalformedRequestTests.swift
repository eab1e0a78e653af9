import Foundation
import HTTPTypes
import Hummingbird
import ShareSandbox
import Testing

@Suite("malformed requests")
struct MalformedRequestTests {
    static let endpoints = ["/oauth/token", "/oauth/introspect", "/oauth/revoke", "/user/create"]

    /// The OAuth shape, or Plaid's `PlaidError` on `/user/create`.
    static func expectErrorShape(
        _ answer: SandboxAnswer, status: Int, path: String = "/oauth/token", sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(answer.status == status, "body: \(answer.bodyText)", sourceLocation: sourceLocation)
        let keys: Set<String> = path == "/user/create" ? SandboxAnswer.plaidErrorKeys : ["error", "error_description", "request_id"]
        #expect(answer.keys == keys, "body: \(answer.bodyText)", sourceLocation: sourceLocation)
        #expect(answer.headers[.contentType] == "application/json", sourceLocation: sourceLocation)
    }

    static let garbage: [(String, [UInt8])] = [
        ("truncated JSON", Array(#"{"grant_type": "client_cre"#.utf8)),
        ("a JSON array", Array("[1,2,3]".utf8)),
        ("a JSON string", Array(#""client_credentials""#.utf8)),
        ("JSON null", Array("null".utf8)),
        ("an empty body", []),
        ("binary noise", [0x00, 0xFF, 0x13, 0x37, 0x80, 0x7B]),
        ("invalid UTF-8 inside JSON", Array(#"{"grant_type": ""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)),
        ("deeply nested JSON", Array((String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)).utf8)),
    ]

    @Test("garbage JSON bodies are 400 invalid_request on every endpoint", arguments: endpoints)
    func garbageJSON(path: String) async throws {
        try await SandboxHarness.withSandbox { client in
            for (name, body) in Self.garbage {
                let answer = try await client.send(path, headers: [.contentType: "application/json"], body: body)
                if path == "/user/create" {
                    #expect(answer.string("error_type") == "INVALID_REQUEST", "\(name)")
                } else {
                    #expect(answer.error == "invalid_request", "\(name)")
                }
                Self.expectErrorShape(answer, status: 400, path: path)
            }
        }
    }

    @Test("garbage form bodies are 400 invalid_request", arguments: endpoints)
    func garbageForm(path: String) async throws {
        try await SandboxHarness.withSandbox { client in
            let bodies: [[UInt8]] = [Array("%%%".utf8), [0xFF, 0xFE, 0x3D, 0x41], Array("grant_type=%ZZ".utf8), Array("=&=&&".utf8)]
            for body in bodies {
                let answer = try await client.send(path, headers: [.contentType: "application/x-www-form-urlencoded"], body: body)
                Self.expectErrorShape(answer, status: 400, path: path)
            }
        }
    }

    @Test("wrong JSON types are invalid_request naming the field")
    func wrongTypes() async throws {
        try await SandboxHarness.withSandbox { client in
            let body = Array(#"{"grant_type": 7, "client_id": "lender", "secret": "lender-secret"}"#.utf8)
            let answer = try await client.send("/oauth/token", headers: [.contentType: "application/json"], body: body)
            Self.expectErrorShape(answer, status: 400)
            #expect(answer.string("error_description")?.contains("grant_type") == true)
            let token = Array(#"{"token": ["pda-x"], "client_id": "lender", "secret": "lender-secret"}"#.utf8)
            let introspect = try await client.send("/oauth/introspect", headers: [.contentType: "application/json"], body: token)
            Self.expectErrorShape(introspect, status: 400)
        }
    }

    @Test("an unsupported content type is 415 in the error shape")
    func unsupportedContentType() async throws {
        try await SandboxHarness.withSandbox { client in
            let answer = try await client.send(
                "/oauth/token", headers: [.contentType: "text/plain"], body: Array("grant_type=client_credentials".utf8))
            Self.expectErrorShape(answer, status: 415)
            #expect(answer.error == "invalid_request")
        }
    }

    @Test("charset parameters are accepted on both formats")
    func contentTypeParameters() async throws {
        try await SandboxHarness.withSandbox { client in
            let json = Array(#"  {"grant_type":"client_credentials","client_id":"lender","secret":"lender-secret"}"#.utf8)
            let charset = try await client.send("/oauth/token", headers: [.contentType: "application/json; charset=utf-8"], body: json)
            #expect(charset.status == 200)
            let form = Array("grant_type=client_credentials&client_id=lender&secret=lender-secret".utf8)
            let formCharset = try await client.send(
                "/oauth/token", headers: [.contentType: "application/x-www-form-urlencoded; charset=UTF-8"], body: form)
            #expect(formCharset.status == 200)
        }
    }

    @Test("a body without Content-Type is 400 (invalid_request, or INVALID_REQUEST on /user/create), never guessed from its bytes", arguments: endpoints)
    func missingContentType(path: String) async throws {
        try await SandboxHarness.withSandbox { client in
            let bodies = [
                #"{"grant_type":"client_credentials","client_id":"lender","secret":"lender-secret","token":"pda-x","client_user_id":"u"}"#,
                "grant_type=client_credentials&client_id=lender&secret=lender-secret&token=pda-x&client_user_id=u",
            ]
            for body in bodies {
                for headers: HTTPFields in [[:], [.contentType: ""], [.contentType: "  "]] {
                    let answer = try await client.send(path, headers: headers, body: Array(body.utf8))
                    Self.expectErrorShape(answer, status: 400, path: path)
                    if path == "/user/create" {
                        #expect(answer.string("error_type") == "INVALID_REQUEST", "body: \(answer.bodyText)")
                        #expect(answer.string("error_message")?.contains("Content-Type") == true, "body: \(answer.bodyText)")
                    } else {
                        #expect(answer.error == "invalid_request")
                        #expect(answer.string("error_description")?.contains("Content-Type") == true, "body: \(answer.bodyText)")
                    }
                }
            }
        }
    }

    @Test("an empty body needs no Content-Type: the answer names the missing field")
    func emptyBodyWithoutContentType() async throws {
        try await SandboxHarness.withSandbox { client in
            let answer = try await client.send("/oauth/token", body: [])
            Self.expectErrorShape(answer, status: 400)
            #expect(answer.string("error_description")?.contains("grant_type") == true, "body: \(answer.bodyText)")
        }
    }

    @Test("a body over 64 KiB is 413 in the error shape", arguments: endpoints)
    func bodyTooLarge(path: String) async throws {
        try await SandboxHarness.withSandbox { client in
            let padding = String(repeating: "a", count: 64 * 1024)
            let body = Array(#"{"grant_type":"client_credentials","padding":"\#(padding)"}"#.utf8)
            let answer = try await client.send(path, headers: [.contentType: "application/json"], body: body)
            Self.expectErrorShape(answer, status: 413, path: path)
        }
    }

    @Test("a body just under 64 KiB is accepted")
    func bodyAtLimit() async throws {
        try await SandboxHarness.withSandbox { client in
            let prefix = #"{"grant_type":"client_credentials","client_id":"lender","secret":"lender-secret","padding":""#
            let padding = String(repeating: "a", count: 64 * 1024 - prefix.utf8.count - 2)
            let body = Array((prefix + padding + "\"}").utf8)
            #expect(body.count == 64 * 1024)
            let answer = try await client.send("/oauth/token", headers: [.contentType: "application/json"], body: body)
            #expect(answer.status == 200)
        }
    }

    @Test("unknown paths are 404 and wrong methods 405, both in the error shape")
    func routing() async throws {
        try await SandboxHarness.withSandbox { client in
            Self.expectErrorShape(try await client.send("/oauth/nothing", method: .post), status: 404)
            let wrongMethod = try await client.send("/oauth/token", method: .get)
            Self.expectErrorShape(wrongMethod, status: 405)
            #expect(wrongMethod.headers[.allow] == "POST")
        }
    }

    @Test("unknown fields are ignored")
    func unknownFields() async throws {
        try await SandboxHarness.withSandbox { client in
            let answer = try await client.json(
                "/oauth/token", ["grant_type": "client_credentials", "client_id": "lender", "secret": "lender-secret", "extra": "x"])
            #expect(answer.status == 200)
        }
    }
}
