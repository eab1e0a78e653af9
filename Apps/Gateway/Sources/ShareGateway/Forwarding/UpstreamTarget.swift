import ShareTransport

/// The upstream's address, parsed once from its base URL (`http(s)://host[:port][/prefix]`).
struct UpstreamTarget: Sendable, Hashable {
    /// Whether connections use TLS (`https`).
    let usesTLS: Bool
    /// The host and port to connect to (ShareTransport's authority parser).
    let endpoint: HTTPAuthority
    /// The `Host` header: the host as written in the URL, with the port unless it is the default.
    let authority: String
    /// A path the upstream's routes live under (no trailing slash), often empty.
    let pathPrefix: String

    /// The host to connect to (brackets of an IPv6 literal removed).
    var host: String { endpoint.host }
    var port: Int { endpoint.port }
    /// Whether ``host`` is an IP literal (no TLS server name is sent for one).
    var isIPAddress: Bool { endpoint.isIPAddress }

    init(baseURL: String) throws(GatewayConfigurationError) {
        let lowered = baseURL.lowercased()
        let rest: Substring
        if lowered.hasPrefix("https://") {
            usesTLS = true
            rest = baseURL.dropFirst(8)
        } else if lowered.hasPrefix("http://") {
            usesTLS = false
            rest = baseURL.dropFirst(7)
        } else {
            throw GatewayConfigurationError("the upstream URL must start with http:// or https://")
        }
        let authorityPart = rest.prefix(while: { $0 != "/" })
        var prefix = String(rest.dropFirst(authorityPart.count))
        while prefix.hasSuffix("/") { prefix.removeLast() }
        pathPrefix = prefix
        let defaultPort = usesTLS ? 443 : 80
        do {
            endpoint = try HTTPAuthority(parsing: authorityPart, defaultPort: defaultPort)
        } catch {
            throw GatewayConfigurationError("the upstream URL: \(error.detail ?? "malformed authority")")
        }
        authority = endpoint.port == defaultPort ? endpoint.bracketedHost : "\(endpoint.bracketedHost):\(endpoint.port)"
    }
}
