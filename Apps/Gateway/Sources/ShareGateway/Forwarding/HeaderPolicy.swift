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
///
/// Works on NIO's `HTTPHeaders` in both directions: forwarded requests never convert to another
/// header type.
struct HeaderPolicy: Sendable {
    static let hopByHopNames = [
        "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
        "te", "trailer", "transfer-encoding", "upgrade",
    ]
    static let hopByHop = HeaderNameSet(hopByHopNames)
    static let droppedFromRequests = HeaderNameSet(
        hopByHopNames + [
            "plaid-client-id", "plaid-secret", "authorization", "x-gateway-key", "cookie",
            "host", "content-length", "expect", "x-request-id", "forwarded", "x-real-ip", "x-client-ip",
            "true-client-ip",
        ])

    /// The headers to send upstream: the client's, filtered, then `injected` and the request id.
    func upstreamHeaders(from headers: HTTPHeaders, injecting injected: [(String, String)], requestID: String) -> HTTPHeaders {
        var forwarded = HTTPHeaders()
        forwarded.reserveCapacity(headers.count + injected.count + 3)
        let connectionListed = Self.connectionListed(in: headers)
        for (name, value) in headers {
            if Self.droppedFromRequests.contains(name) { continue }
            if HeaderNameSet.hasPrefix(name, "x-forwarded-") || HeaderNameSet.hasPrefix(name, "x-original-") { continue }
            if let connectionListed, connectionListed.contains(name) { continue }
            forwarded.add(name: name, value: value)
        }
        for (name, value) in injected { forwarded.replaceOrAdd(name: name, value: value) }
        forwarded.add(name: "X-Request-Id", value: requestID)
        return forwarded
    }

    /// The upstream response's headers to return to the client.
    func clientHeaders(from headers: HTTPHeaders) -> HTTPHeaders {
        var relayed = HTTPHeaders()
        relayed.reserveCapacity(headers.count + 4)
        let connectionListed = Self.connectionListed(in: headers)
        for (name, value) in headers {
            if Self.hopByHop.contains(name) || HeaderNameSet.hasPrefix(name, "access-control-") { continue }
            if let connectionListed, connectionListed.contains(name) { continue }
            relayed.add(name: name, value: value)
        }
        return relayed
    }

    /// The names a `Connection` header lists beyond the hop-by-hop ones, which are dropped anyway;
    /// `nil` for none — the usual `Connection: keep-alive` or `close` builds no set.
    private static func connectionListed(in headers: HTTPHeaders) -> HeaderNameSet? {
        guard headers.contains(name: "connection") else { return nil }
        let listed = headers[canonicalForm: "connection"].map(String.init).filter { !hopByHop.contains($0) }
        return listed.isEmpty ? nil : HeaderNameSet(listed)
    }
}
