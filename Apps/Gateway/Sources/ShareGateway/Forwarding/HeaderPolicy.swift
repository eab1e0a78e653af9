import Foundation
import HTTPTypes
import NIOHTTP1

/// Which headers cross the gateway, in each direction.
///
/// Requests: hop-by-hop headers (RFC 9110 §7.6.1, plus any the `Connection` header names),
/// every client-supplied credential (`PLAID-CLIENT-ID`, `PLAID-SECRET`, `Authorization`,
/// `X-Gateway-Key`, `Cookie`), framing the gateway recomputes (`Host`, `Content-Length`,
/// `Expect`), the client's `X-Request-Id` (replaced by the validated one) and every
/// client-supplied forwarding header (`Forwarded`, `X-Forwarded-*`, `X-Real-IP`, `X-Original-*`)
/// are dropped. The gateway's own credentials are then set, always overwriting.
///
/// Responses: hop-by-hop headers and the upstream's `Access-Control-*` headers (CORS is the
/// gateway's decision) are dropped.
struct HeaderPolicy: Sendable {
    static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
        "te", "trailer", "transfer-encoding", "upgrade",
    ]
    static let droppedFromRequests: Set<String> = hopByHop.union([
        "plaid-client-id", "plaid-secret", "authorization", "x-gateway-key", "cookie",
        "host", "content-length", "expect", "x-request-id", "forwarded", "x-real-ip", "x-client-ip",
        "true-client-ip",
    ])

    /// The headers to send upstream: the client's, filtered, then `injected` and the request id.
    func upstreamHeaders(from fields: HTTPFields, injecting injected: [(String, String)], requestID: String) -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.reserveCapacity(fields.count + injected.count + 1)
        let connectionListed = Self.connectionListed(in: fields)
        for field in fields {
            let name = field.name.canonicalName
            if Self.droppedFromRequests.contains(name) { continue }
            if name.hasPrefix("x-forwarded-") || name.hasPrefix("x-original-") { continue }
            if let connectionListed, connectionListed.contains(name) { continue }
            headers.add(name: field.name.rawName, value: field.value)
        }
        for (name, value) in injected { headers.replaceOrAdd(name: name, value: value) }
        headers.add(name: "X-Request-Id", value: requestID)
        return headers
    }

    /// The upstream response's headers to return to the client.
    func clientHeaders(from headers: HTTPHeaders) -> HTTPFields {
        var fields = HTTPFields()
        fields.reserveCapacity(headers.count + 4)
        var connectionListed: Set<String>?
        if headers.contains(name: "connection") {
            connectionListed = Set(headers[canonicalForm: "connection"].map { $0.lowercased() })
        }
        for (name, value) in headers {
            guard let fieldName = HTTPField.Name(name) else { continue }
            let lowercased = fieldName.canonicalName
            if Self.hopByHop.contains(lowercased) || lowercased.hasPrefix("access-control-") { continue }
            if let connectionListed, connectionListed.contains(lowercased) { continue }
            fields.append(HTTPField(name: fieldName, value: value))
        }
        return fields
    }

    private static func connectionListed(in fields: HTTPFields) -> Set<String>? {
        guard let connection = fields[.connection] else { return nil }
        var names = Set<String>()
        for token in connection.split(separator: ",") {
            names.insert(token.trimmingCharacters(in: .whitespaces).lowercased())
        }
        return names
    }
}
