import Foundation
import NIOCore
import Testing

import ShareCore
@testable import ShareGateway

/// What the gateway inspects and what it forwards must be the same message: no `Connection`
/// option may remove a field a decision read, a field read as one value may not come twice, the
/// forwarded `Content-Type` is the format the filters read, and no header that an upstream could
/// read as a credential survives, however it is spelled.
@Suite("Gateway header integrity (live)")
struct GatewayHeaderIntegrityTests {
    /// Runs `body` on a byte-level connection to a gateway configured with `adjust`, in front of a
    /// ``ScriptedUpstream`` answering every request `200 {}`.
    static func withHeaderGateway(
        _ adjust: @escaping @Sendable (inout GatewayConfiguration) -> Void = { _ in },
        _ body: @escaping @Sendable (inout ByteLevelClient, ScriptedUpstream) async throws -> Void
    ) async throws {
        try await withOKGateway(adjust) { port, upstream in
            try await ByteLevelClient.with(port: port) { connection in
                try await body(&connection, upstream)
            }
        }
    }

    /// Runs `body` with the port of a gateway configured with `adjust`, in front of a
    /// ``ScriptedUpstream`` answering every request `200 {}`.
    static func withOKGateway(
        _ adjust: @escaping @Sendable (inout GatewayConfiguration) -> Void,
        _ body: @escaping @Sendable (Int, ScriptedUpstream) async throws -> Void
    ) async throws {
        try await ScriptedUpstream.run({ _ in .ok("{}", headers: ["Content-Type: application/json"]) }) { upstream in
            try await withGateway(upstream: upstream.baseURL, testConfiguration(adjust)) { client in
                try await body(try #require(client.port), upstream)
            }
        }
    }

    static func request(_ method: String = "POST", _ path: String = "/oauth/token", headers: [String], body: String) -> String {
        var text = "\(method) \(path) HTTP/1.1\r\n"
        for header in headers { text += header + "\r\n" }
        return text + "Content-Length: \(body.utf8.count)\r\n\r\n" + body
    }

    static func errorCode(_ reply: ByteLevelClient.Reply) -> String? {
        (try? JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any])?["error"] as? String
    }

    static func errorDescription(_ reply: ByteLevelClient.Reply) -> String {
        ((try? JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any])?["error_description"] as? String) ?? ""
    }

    // MARK: Connection options

    /// Every end-to-end field a gateway decision reads.
    static let fieldsTheGatewayReads = [
        "Content-Type", "content-length", "Content-Encoding", "Transfer-Encoding", "Origin", "Host", "X-Gateway-Key",
        "X-Request-Id", "Access-Control-Request-Method", "Access-Control-Request-Headers", "Expect", "Authorization",
    ]

    @Test("a Connection header listing a field the gateway reads is refused 400, naming the field, and nothing goes upstream", arguments: fieldsTheGatewayReads)
    func connectionMayNotListReadFields(field: String) async throws {
        try await Self.withHeaderGateway { connection, upstream in
            try await connection.send(
                Self.request(headers: ["Host: 127.0.0.1", "Connection: keep-alive, \(field)", "Content-Type: application/json"],
                             body: #"{"grant_type":"client_credentials"}"#))
            let reply = try await connection.readResponse()
            #expect(reply.status == 400)
            #expect(Self.errorCode(reply) == "invalid_request")
            #expect(Self.errorDescription(reply).contains(field))
            #expect(upstream.requests.isEmpty)
        }
    }

    @Test("the reported bypass: Connection: Content-Type with a form type and a JSON body cannot reach a refused audience")
    func connectionContentTypeBypassIsClosed() async throws {
        let body = #"{"grant_type":"urn:ietf:params:oauth:grant-type:token-exchange","subject_token":"usr_x","subject_token_type":"urn:plaid:params:tokens:user","audience":"urn:plaid:params:cra-partner:fannie-mae","secret":"guess","x":"&grant_type=client_credentials&"}"#
        try await Self.withHeaderGateway({ $0.allowedAudiences = ["experian"] }) { connection, upstream in
            try await connection.send(
                Self.request(headers: ["Host: 127.0.0.1", "Connection: Content-Type", "Content-Type: application/x-www-form-urlencoded"], body: body))
            let reply = try await connection.readResponse()
            #expect(reply.status == 400)
            #expect(upstream.requests.isEmpty)
        }
    }

    @Test("a Connection option naming an ordinary header still removes that header, and the request is forwarded")
    func connectionMayListOtherHeaders() async throws {
        try await Self.withHeaderGateway { connection, upstream in
            try await connection.send(
                Self.request(headers: ["Host: 127.0.0.1", "Connection: X-Hop", "X-Hop: 1", "X-Kept: 2", "Content-Type: application/json"], body: "{}"))
            let reply = try await connection.readResponse()
            #expect(reply.status == 200)
            let forwarded = try #require(upstream.requests.first)
            #expect(!forwarded.contains("X-Hop"))
            #expect(forwarded.contains("X-Kept: 2"))
        }
    }

    // MARK: Duplicates

    static let singleValuedFields: [(name: String, values: [String])] = [
        ("Content-Type", ["application/json", "application/x-www-form-urlencoded"]),
        ("Content-Encoding", ["identity", "identity"]),
        ("Origin", ["https://a.example", "https://b.example"]),
        ("X-Gateway-Key", ["0123456789abcdef", "fedcba9876543210"]),
        ("Host", ["127.0.0.1", "evil.example"]),
        ("X-Request-Id", ["one", "two"]),
        ("Expect", ["100-continue", "100-continue"]),
        ("Authorization", ["Bearer a", "Bearer b"]),
    ]

    @Test("a field the gateway reads as one value, given twice, is refused 400 and never forwarded", arguments: singleValuedFields.map(\.name))
    func duplicatesAreRefused(name: String) async throws {
        let values = try #require(Self.singleValuedFields.first { $0.name == name }?.values)
        var headers = values.map { "\(name): \($0)" }
        if name != "Host" { headers.insert("Host: 127.0.0.1", at: 0) }
        if name != "Content-Type" { headers.append("Content-Type: application/json") }
        let sent = headers
        try await Self.withHeaderGateway { connection, upstream in
            try await connection.send(Self.request(headers: sent, body: "{}"))
            let reply = try await connection.readResponse()
            #expect(reply.status == 400)
            #expect(Self.errorDescription(reply).contains("\(name) is given more than once"))
            #expect(upstream.requests.isEmpty)
        }
    }

    // MARK: Representation

    @Test("the upstream receives the Content-Type of the format the gateway inspected, once, whatever the client's spelling")
    func forwardedContentTypeIsTheInspectedOne() async throws {
        let cases: [(sent: String, body: String, forwarded: String)] = [
            ("application/vnd.api+json", "{}", "application/json"),
            ("Application/JSON; charset=utf-8", "{}", "application/json"),
            ("application/x-www-form-urlencoded; charset=utf-8", "a=1", "application/x-www-form-urlencoded"),
        ]
        try await Self.withHeaderGateway { connection, upstream in
            for (index, sample) in cases.enumerated() {
                try await connection.send(
                    Self.request(headers: ["Host: 127.0.0.1", "Content-Type: \(sample.sent)", "Content-Encoding: identity"], body: sample.body))
                let reply = try await connection.readResponse()
                #expect(reply.status == 200, "\(sample.sent)")
                let forwarded = upstream.requests[index]
                let contentTypes = forwarded.components(separatedBy: "\r\n").filter { $0.lowercased().hasPrefix("content-type:") }
                #expect(contentTypes == ["Content-Type: \(sample.forwarded)"], "\(sample.sent)")
                #expect(!forwarded.lowercased().contains("content-encoding"))
            }
        }
    }

    // MARK: Lookalike credential headers

    static let lookalikes = [
        "PLAID_CLIENT_ID", "PLAID_SECRET", "Plaid_Secret", "plaid.secret", "X-Plaid-Client-Id", "X-PLAID-SECRET", "X_Plaid_Secret",
        "HTTP_PLAID_SECRET", "HTTP_X_PLAID_CLIENT_ID", "PlaidSecret", "X-Authorization", "Proxy-Authorization", "X-Api-Key", "Api_Key",
        "Client-Secret", "X-Client-Id", "client_id", "Secret", "X-Gateway_Key", "X-Access-Token",
    ]

    @Test("headers whose names normalise to a credential's are dropped; the gateway's own credentials go up once")
    func lookalikeCredentialHeadersAreDropped() async throws {
        try await Self.withHeaderGateway { connection, upstream in
            let headers = ["Host: 127.0.0.1", "Content-Type: application/json", "Plaid-Version: 2020-09-14", "X-Plaidish: kept"]
                + Self.lookalikes.enumerated().map { "\($1): client-lookalike-\($0)" }
            try await connection.send(Self.request(headers: headers, body: "{}"))
            let reply = try await connection.readResponse()
            #expect(reply.status == 200)
            let forwarded = try #require(upstream.requests.first)
            #expect(!forwarded.contains("client-lookalike"), "\(forwarded)")
            #expect(forwarded.components(separatedBy: TestCredentials.secret).count == 2)
            #expect(forwarded.contains("Plaid-Version: 2020-09-14"))
            #expect(forwarded.contains("X-Plaidish: kept"))
        }
    }

    @Test("method and path overrides never reach the upstream, which would serve another method or path than the one allowed")
    func methodAndPathOverridesAreDropped() async throws {
        try await Self.withHeaderGateway { connection, upstream in
            let overrides = ["X-HTTP-Method-Override: DELETE", "X-HTTP-Method: PUT", "X-Method-Override: PATCH", "X-Rewrite-URL: /admin", "X-Original-URL: /admin"]
            try await connection.send(Self.request(headers: ["Host: 127.0.0.1", "Content-Type: application/json"] + overrides, body: "{}"))
            #expect(try await connection.readResponse().status == 200)
            let forwarded = try #require(upstream.requests.first)
            for override in overrides {
                #expect(!forwarded.contains(override), "\(override)")
            }
        }
    }

    @Test("credential name normalisation: separators, case and the http/x/plaid prefixes, nothing broader")
    func credentialHeaderNameNormalisation() {
        for name in Self.lookalikes + ["PLAID-CLIENT-ID", "Authorization", "Cookie", "x-gateway-key"] {
            #expect(CredentialHeaderName.matches(name), "\(name)")
        }
        for name in ["Plaid-Version", "X-Request-Id", "Content-Type", "X", "Plaid", "Secretary", "X-Plaid", "Accept", "X-Secret-Santa", "Plaid-Client-Name"] {
            #expect(!CredentialHeaderName.matches(name), "\(name)")
        }
    }
}
