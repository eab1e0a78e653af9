import Foundation
import HTTPTypes
import ShareTransport
import ShareWire

/// Whether a server is a `share-gateway`, from its own operations endpoint: a gateway answers
/// `GET /readyz` with `{"status":"ready"}` (or `"unavailable"` while its upstream is down), where
/// a `share-sandbox` or the vendor's API has no such route. Asked only when the shell has no
/// client credentials for a `--url`, since a gateway adds its own.
enum GatewayDetection {
    static func isGateway(_ url: URL, transport: some HTTPTransport) async -> Bool {
        guard let scheme = url.scheme, let host = url.host else { return false }
        let authority = url.port.map { "\(host):\($0)" } ?? host
        let basePath = url.path.hasSuffix("/") ? String(url.path.dropLast()) : url.path
        let request = HTTPRequest(method: .get, scheme: scheme, authority: authority, path: basePath + "/readyz")
        guard let (response, body) = try? await transport.send(request, body: nil),
            response.status == .ok || response.status == .serviceUnavailable,
            let bytes = try? await body?.collect(upTo: 4096),
            let answer = try? WireJSON.decode(JSONValue.self, from: bytes),
            case .string(let status)? = answer["status"]
        else { return false }
        return status == "ready" || status == "unavailable"
    }
}
