/// The upstream's address, parsed once from its base URL (`http(s)://host[:port][/prefix]`).
struct UpstreamTarget: Sendable, Hashable {
    /// Whether connections use TLS (`https`).
    let usesTLS: Bool
    /// The host to connect to (brackets of an IPv6 literal removed).
    let host: String
    let port: Int
    /// The `Host` header: the host as written in the URL, with the port unless it is the default.
    let authority: String
    /// A path the upstream's routes live under (no trailing slash), often empty.
    let pathPrefix: String

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
        var hostPart = authorityPart
        var port = defaultPort
        if hostPart.hasPrefix("["), let close = hostPart.firstIndex(of: "]") {
            let after = hostPart[hostPart.index(after: close)...]
            if after.hasPrefix(":") {
                guard let parsed = Int(after.dropFirst()) else { throw Self.invalidPort }
                port = parsed
            }
            hostPart = hostPart[hostPart.index(after: hostPart.startIndex)..<close]
        } else if let colon = hostPart.lastIndex(of: ":") {
            guard let parsed = Int(hostPart[hostPart.index(after: colon)...]) else { throw Self.invalidPort }
            port = parsed
            hostPart = hostPart[..<colon]
        }
        guard !hostPart.isEmpty else { throw GatewayConfigurationError("the upstream URL has no host") }
        guard (1...65535).contains(port) else { throw Self.invalidPort }
        self.host = String(hostPart)
        self.port = port
        let hostForHeader = hostPart.contains(":") ? "[\(hostPart)]" : String(hostPart)
        self.authority = port == defaultPort ? hostForHeader : "\(hostForHeader):\(port)"
    }

    private static let invalidPort = GatewayConfigurationError("the upstream URL has an invalid port")
}

extension UpstreamTarget {
    /// Whether ``host`` is an IP literal (no TLS server name is sent for one).
    var isIPAddress: Bool {
        host.contains(":") || host.allSatisfy { $0.isNumber || $0 == "." }
    }
}
