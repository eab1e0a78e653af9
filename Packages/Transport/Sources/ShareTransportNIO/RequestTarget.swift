import HTTPTypes
import ShareTransport

/// Where a request goes: its scheme, host and port (the key of a connection pool) and the
/// authority to send as `Host`.
struct RequestTarget: Sendable {
    /// What connections are pooled by: requests with equal keys may share a connection.
    struct Key: Hashable, Sendable, CustomStringConvertible {
        /// `http` or `https`.
        var scheme: String
        /// A host name or IP address, without the brackets of an IPv6 literal.
        var host: String
        var port: Int

        var usesTLS: Bool { scheme == "https" }
        var description: String { "\(scheme)://\(host.contains(":") ? "[\(host)]" : host):\(port)" }
    }

    var key: Key
    /// The request's authority, as sent in `Host`.
    var authority: String

    /// The target of `request`, which must carry an `http` or `https` scheme and an authority.
    init(_ request: HTTPRequest) throws {
        guard let rawScheme = request.scheme, let authority = request.authority, !authority.isEmpty else {
            throw TransportError(.invalidRequest, detail: "the request has no scheme or authority")
        }
        let scheme = rawScheme.lowercased()
        guard scheme == "http" || scheme == "https" else {
            throw TransportError(.invalidRequest, detail: "unsupported scheme \(rawScheme)")
        }
        // User information in an authority would be sent to the server: refuse it.
        guard !authority.contains("@") else {
            throw TransportError(.invalidRequest, detail: "the authority holds user information")
        }
        let defaultPort = scheme == "https" ? 443 : 80
        var host = Substring(authority)
        var portText: Substring?
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { throw TransportError(.invalidRequest, detail: "malformed IPv6 authority") }
            let rest = host[host.index(after: close)...]
            host = host[host.index(after: host.startIndex)..<close]
            if rest.hasPrefix(":") { portText = rest.dropFirst() } else if !rest.isEmpty {
                throw TransportError(.invalidRequest, detail: "malformed IPv6 authority")
            }
        } else if let colon = host.lastIndex(of: ":") {
            portText = host[host.index(after: colon)...]
            host = host[..<colon]
        }
        var port = defaultPort
        if let portText, !portText.isEmpty {
            guard let parsed = Int(portText), (1...65535).contains(parsed) else {
                throw TransportError(.invalidRequest, detail: "invalid port in the authority")
            }
            port = parsed
        }
        guard !host.isEmpty else { throw TransportError(.invalidRequest, detail: "the authority has no host") }
        self.key = Key(scheme: scheme, host: String(host), port: port)
        self.authority = authority
    }
}
