import HTTPTypes
import ShareTransport

/// Where a request goes: its scheme, host and port (the key of a connection pool) and the
/// authority to send as `Host`.
struct RequestTarget: Sendable {
    /// What connections are pooled by: requests with equal keys may share a connection.
    struct Key: Hashable, Sendable, CustomStringConvertible {
        /// `http` or `https`.
        var scheme: String
        /// The host and port connected to.
        var endpoint: HTTPAuthority

        var usesTLS: Bool { scheme == "https" }
        var description: String { "\(scheme)://\(endpoint.bracketedHost):\(endpoint.port)" }
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
        self.key = Key(scheme: scheme, endpoint: try HTTPAuthority(parsing: authority, defaultPort: scheme == "https" ? 443 : 80))
        self.authority = authority
    }
}
