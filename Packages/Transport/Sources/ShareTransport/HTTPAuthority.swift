/// The host and port an HTTP authority (`host`, `host:port`, `[IPv6]:port`) names, as a client
/// connects to it. One parser for every ShareKit component that opens connections itself
/// (`NIOHTTPTransport`, the gateway's upstream pools).
public struct HTTPAuthority: Hashable, Sendable {
    /// A host name or IP address, without the brackets of an IPv6 literal.
    public let host: String
    public let port: Int

    /// Parses `authority`; `defaultPort` applies when it names none. User information (`user@`),
    /// an empty host, an empty port or one outside 1–65535 and a malformed IPv6 literal are
    /// refused with a
    /// ``TransportError/Code/invalidRequest`` error that never repeats the authority.
    public init(parsing authority: some StringProtocol, defaultPort: Int) throws(TransportError) {
        // User information in an authority would be sent to the server: refuse it.
        guard !authority.contains("@") else {
            throw TransportError(.invalidRequest, detail: "the authority holds user information")
        }
        var host = Substring(authority)
        var portText: Substring?
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { throw TransportError(.invalidRequest, detail: "malformed IPv6 authority") }
            let rest = host[host.index(after: close)...]
            host = host[host.index(after: host.startIndex)..<close]
            if rest.hasPrefix(":") {
                portText = rest.dropFirst()
            } else if !rest.isEmpty {
                throw TransportError(.invalidRequest, detail: "malformed IPv6 authority")
            }
        } else if let colon = host.lastIndex(of: ":") {
            portText = host[host.index(after: colon)...]
            host = host[..<colon]
        }
        var port = defaultPort
        if let portText {
            guard let parsed = Int(portText), (1...65535).contains(parsed) else {
                throw TransportError(.invalidRequest, detail: "invalid port in the authority")
            }
            port = parsed
        }
        guard !host.isEmpty else { throw TransportError(.invalidRequest, detail: "the authority has no host") }
        self.host = String(host)
        self.port = port
    }

    /// Whether ``host`` is an IP literal. TLS then sends no server name, and the certificate is
    /// verified against its addresses instead.
    public var isIPAddress: Bool {
        host.contains(":") || host.allSatisfy { $0.isNumber || $0 == "." }
    }

    /// The host as written in a URL or `Host` header: an IPv6 literal in brackets.
    public var bracketedHost: String {
        host.contains(":") ? "[\(host)]" : host
    }
}
