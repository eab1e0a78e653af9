import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PartnerExperian
import PartnerFannieMae
import PartnerFreddieMac
import ShareModels
import SharePartners
import ShareSandbox

/// The clients and partners every sandbox test runs with, and a way to run a test against a
/// fresh sandbox without sockets.
enum SandboxHarness {
    static let partners = try! PartnerRegistry([Experian(), FannieMae(), FreddieMac()])

    static let lender = ClientRegistration(id: "lender", secret: "lender-secret")
    /// A secret holding characters that form-url-encoding changes.
    static let otherApp = ClientRegistration(id: "other-app", secret: "s3cr+t/with=odd%chars")
    static let fannie = ClientRegistration(id: "fannie-client", secret: "fannie-secret", partner: .fannieMae)
    static let experian = ClientRegistration(id: "experian-client", secret: "experian-secret", partner: .experian)
    static let stranger = ClientRegistration(id: "stranger", secret: "stranger-secret")

    static let clients = [lender, otherApp, fannie, experian, stranger]

    static func configuration(clock: ManualClock, storage: SandboxConfiguration.Storage = .memory) -> SandboxConfiguration {
        SandboxConfiguration(
            port: 0, clients: clients, partners: partners, accessTokenTTL: 900, refreshTokenTTL: 3600,
            storage: storage, clock: clock.sandboxClock)
    }

    /// Runs `test` against a fresh in-memory sandbox: through its router, or through its real
    /// HTTP server on a loopback port when `live`.
    static func withSandbox(
        clock: ManualClock = ManualClock(),
        configuration: SandboxConfiguration? = nil,
        live: Bool = false,
        _ test: @escaping @Sendable (SandboxTestClient) async throws -> Void
    ) async throws {
        let app = try await SandboxServer.buildApplication(configuration: configuration ?? self.configuration(clock: clock))
        try await app.test(live ? .live : .router) { client in
            try await test(SandboxTestClient(client: client))
        }
    }
}

/// An answer of the sandbox: status, headers and the body as a JSON object.
struct SandboxAnswer: Sendable {
    var status: Int
    var headers: HTTPFields
    var bodyText: String
    var json: [String: AttributeValue]

    subscript(key: String) -> AttributeValue? { json[key] }

    func string(_ key: String) -> String? {
        if case .string(let value) = json[key] { return value }
        return nil
    }

    func integer(_ key: String) -> Int? {
        if case .integer(let value) = json[key] { return value }
        return nil
    }

    var error: String? { string("error") }
    var keys: Set<String> { Set(json.keys) }

    /// The members of a `PlaidError` answer (`/user/create`).
    static let plaidErrorKeys: Set<String> = ["error_type", "error_code", "error_message", "display_message", "request_id", "status"]
    /// `error_code` of a `PlaidError` answer.
    var errorCode: String? { string("error_code") }
}

/// Requests against a sandbox under test, with the body as JSON or a form.
struct SandboxTestClient: Sendable {
    let client: any TestClientProtocol

    /// A raw JSON body: `body` is sent as it is written.
    func rawJSON(_ path: String, _ body: String, headers: HTTPFields = [:]) async throws -> SandboxAnswer {
        var all = headers
        all[.contentType] = "application/json"
        return try await send(path, headers: all, body: Array(body.utf8))
    }

    func send(
        _ path: String, method: HTTPRequest.Method = .post, headers: HTTPFields = [:], body: [UInt8]? = nil
    ) async throws -> SandboxAnswer {
        // An absolute URL (a listing's links are absolute) is sent to this sandbox by its path.
        var uri = path
        if let scheme = uri.range(of: "://"), uri.hasPrefix("http") {
            let rest = uri[scheme.upperBound...]
            uri = rest.firstIndex(of: "/").map { String(rest[$0...]) } ?? "/"
        }
        let response = try await client.executeRequest(
            uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(bytes: $0) })
        let text = String(decoding: response.body.readableBytesView, as: UTF8.self)
        let json = (try? JSONDecoder().decode([String: AttributeValue].self, from: Data(text.utf8))) ?? [:]
        return SandboxAnswer(status: Int(response.status.code), headers: response.headers, bodyText: text, json: json)
    }

    func json(_ path: String, _ fields: [String: String], headers: HTTPFields = [:]) async throws -> SandboxAnswer {
        var all = headers
        if all[.contentType] == nil { all[.contentType] = "application/json" }
        let body = try JSONEncoder().encode(fields)
        return try await send(path, headers: all, body: Array(body))
    }

    func form(_ path: String, _ fields: [(String, String)], headers: HTTPFields = [:]) async throws -> SandboxAnswer {
        var all = headers
        all[.contentType] = "application/x-www-form-urlencoded"
        return try await send(path, headers: all, body: Array(Self.formEncode(fields).utf8))
    }

    static func formEncode(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.map { name, value in
            "\(name.addingPercentEncoding(withAllowedCharacters: allowed)!)=\(value.addingPercentEncoding(withAllowedCharacters: allowed)!)"
        }.joined(separator: "&")
    }

    /// `fields` plus `client_id` and `secret` of `client`.
    func authenticated(_ path: String, as client: ClientRegistration, _ fields: [String: String]) async throws -> SandboxAnswer {
        try await json(path, fields.merging(["client_id": client.id, "secret": client.secret]) { $1 })
    }

    // MARK: Flows

    func clientCredentials(_ client: ClientRegistration, scope: String? = nil) async throws -> SandboxAnswer {
        var fields = ["grant_type": "client_credentials"]
        if let scope { fields["scope"] = scope }
        return try await authenticated("/oauth/token", as: client, fields)
    }

    func createUser(_ client: ClientRegistration, clientUserID: String = "user-1") async throws -> String {
        let answer = try await authenticated("/user/create", as: client, ["client_user_id": clientUserID])
        return answer.string("user_id") ?? "missing user_id: \(answer.bodyText)"
    }

    func exchange(
        _ client: ClientRegistration, subject: String, type: String, audience: String, scope: String? = nil
    ) async throws -> SandboxAnswer {
        var fields = [
            "grant_type": "urn:ietf:params:oauth:grant-type:token-exchange", "subject_token": subject,
            "subject_token_type": type, "audience": audience,
        ]
        if let scope { fields["scope"] = scope }
        return try await authenticated("/oauth/token", as: client, fields)
    }

    func refresh(_ client: ClientRegistration, _ refreshToken: String, scope: String? = nil) async throws -> SandboxAnswer {
        var fields = ["grant_type": "refresh_token", "refresh_token": refreshToken]
        if let scope { fields["scope"] = scope }
        return try await authenticated("/oauth/token", as: client, fields)
    }

    func introspect(_ client: ClientRegistration, _ token: String) async throws -> SandboxAnswer {
        try await authenticated("/oauth/introspect", as: client, ["token": token])
    }

    func revoke(_ client: ClientRegistration, _ token: String) async throws -> SandboxAnswer {
        try await authenticated("/oauth/revoke", as: client, ["token": token])
    }

    func isActive(_ client: ClientRegistration, _ token: String) async throws -> Bool {
        try await introspect(client, token)["active"] == .bool(true)
    }
}
