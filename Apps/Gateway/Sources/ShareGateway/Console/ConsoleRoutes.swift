import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SharePartners

/// Serves the console under `/console/`: the page, its script and style, and `config.json`
/// (the partners of the registry and the client id the gateway injects — never a secret).
struct ConsoleRoutes: Sendable {
    let partners: PartnerRegistry
    let clientID: String?

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
        struct Configuration: Encodable { let partners: [Partner]; let clientID: String }
        let value = Configuration(
            partners: partners.adapters.map { Partner(id: $0.id.rawValue, name: $0.displayName, urn: $0.audienceURN.rawValue) },
            clientID: clientID ?? ""
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
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
