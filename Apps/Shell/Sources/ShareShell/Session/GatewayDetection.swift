import Foundation
import HTTPTypes
import ShareTransport
import ShareWire

/// Whether a server is a `share-gateway`, from its own operations endpoints: a gateway answers
/// `GET /healthz` with `{"status":"ok","service":"share-gateway"}`; a gateway too old to name
/// itself there is recognised by `GET /readyz`, answered `{"status":"ready"}` (or `"unavailable"`
/// while its upstream is down), where a `share-sandbox` or the vendor's API has no such route.
/// Asked only when the shell has no client credentials for a `--url`, since a gateway adds its own.
enum GatewayDetection {
    static func isGateway(_ url: URL, transport: some HTTPTransport) async -> Bool {
        if let health = await answer(url, path: "/healthz", transport: transport), case .string(let status)? = health["status"], status == "ok" {
            if case .string(let service)? = health["service"] { return service == "share-gateway" }
        }
        guard let readiness = await answer(url, path: "/readyz", transport: transport),
            case .string(let status)? = readiness["status"]
        else { return false }
        return status == "ready" || status == "unavailable"
    }

    /// The JSON object `url` answers at `path` with 200 or 503, or `nil`.
    private static func answer(_ url: URL, path: String, transport: some HTTPTransport) async -> JSONValue? {
        guard let scheme = url.scheme, let host = url.host else { return nil }
        let authority = url.port.map { "\(host):\($0)" } ?? host
        let basePath = url.path.hasSuffix("/") ? String(url.path.dropLast()) : url.path
        let request = HTTPRequest(method: .get, scheme: scheme, authority: authority, path: basePath + path)
        guard let (response, body) = try? await transport.send(request, body: nil),
            response.status == .ok || response.status == .serviceUnavailable,
            let bytes = try? await body?.collect(upTo: 4096),
            let answer = try? WireJSON.decode(JSONValue.self, from: bytes)
        else { return nil }
        return answer
    }
}
