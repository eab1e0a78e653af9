import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ShareModels
import SharePartners

/// Serves the console under `/console/`: the page, its script and style, and `config.json`
/// (the partners of the registry, the client id the gateway injects and its registered scopes when
/// known, and the organizations `Share-Organization` may name — never a secret).
struct ConsoleRoutes: Sendable {
    let partners: PartnerRegistry
    let clientID: String?
    var organizations: [String] = []
    /// `nil` when the gateway does not know the client's scopes: the console then offers the
    /// scopes every client gets without asking by name.
    var clientScopes: [String]? = nil

    func register(on router: Router<GatewayRequestContext>) {
        // The router treats `/console` and `/console/` alike.
        router.get("/console/") { _, _ in Self.asset(ConsoleAssets.page, type: "text/html; charset=utf-8") }
        router.get("/console/console.js") { _, _ in Self.asset(ConsoleAssets.script, type: "text/javascript; charset=utf-8") }
        router.get("/console/console.css") { _, _ in Self.asset(ConsoleAssets.style, type: "text/css; charset=utf-8") }
        let configuration = configurationJSON()
        router.get("/console/config.json") { _, _ in Self.asset(configuration, type: "application/json") }
    }

    private func configurationJSON() -> String {
        struct Partner: Encodable { let id: String; let name: String; let urn: String }
        struct Configuration: Encodable {
            let partners: [Partner]
            let clientID: String
            let organizations: [String]
            let scopes: [String]
        }
        let value = Configuration(
            partners: partners.adapters.map { Partner(id: $0.id.rawValue, name: $0.displayName, urn: $0.audienceURN.rawValue) },
            clientID: clientID ?? "",
            organizations: organizations,
            scopes: Self.offeredScopes(registered: clientScopes)
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// The scope chips the console offers: the documented scopes the client is registered for, or,
    /// when the registration is unknown, those that need no registration beyond the usual
    /// (`mcp:dashboard` is granted only to clients registered for it).
    static func offeredScopes(registered: [String]?) -> [String] {
        let documented = Scope.documented.map(\.rawValue)
        guard let registered else { return documented.filter { $0 != Scope.mcpDashboard.rawValue } }
        return documented.filter(registered.contains)
    }

    private static func asset(_ text: String, type: String) -> Response {
        var headers: HTTPFields = [
            .contentType: type,
            .cacheControl: "no-cache",
            .contentSecurityPolicy:
                "default-src 'self'; connect-src 'self' http: https:; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        ]
        headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
