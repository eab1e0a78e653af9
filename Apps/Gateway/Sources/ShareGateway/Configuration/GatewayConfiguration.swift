import Logging

/// Everything `share-gateway` is told, already validated.
///
/// Build one in code, or from flags, environment and a JSON file with
/// ``GatewayConfiguration/init(reader:)``.
public struct GatewayConfiguration: Sendable {
    /// Address to bind; a non-loopback address needs frontend keys or ``insecurePublic``.
    public var host: String = "127.0.0.1"
    /// Port to bind; `0` picks a free one.
    public var port: Int = 8081
    public var upstream: UpstreamSetting = .embedded
    /// Exact browser origins allowed (CORS).
    public var cors: CORSPolicy = try! CORSPolicy(allowedOrigins: [])
    /// Keys frontends must send in `X-Gateway-Key`; none means no key is required.
    public var frontendKeys: [String] = []
    public var allowedPaths: PathAllowlist = .default
    /// Partner names token exchange is limited to; empty means no limit.
    public var allowedAudiences: [String] = []
    /// Allows binding a non-loopback address without frontend keys.
    public var insecurePublic: Bool = false
    /// Serve the console at `/console/`; `nil` means on for the embedded upstream only.
    public var console: Bool?
    /// Largest request body accepted, in bytes (413 above).
    public var maximumBodySize: Int = 64 * 1024
    /// How long the upstream has to answer (504 after).
    public var upstreamTimeout: Duration = .seconds(15)
    /// A PEM file of certificate authorities trusted for an `https` upstream, in addition to the
    /// system's (for an upstream behind a private CA).
    public var upstreamCAFile: String?
    /// A PEM certificate chain (leaf first) to serve HTTPS with, with ``tlsKeyFile``; without
    /// them the gateway serves plain HTTP.
    public var tlsCertificateFile: String?
    /// The PEM private key of ``tlsCertificateFile``.
    public var tlsKeyFile: String?
    /// Per-client rate limit, for forwarded requests and the operations endpoints alike.
    public var rateLimit: TokenBucketRateLimiter.Configuration = .init()
    /// Client connection timeouts and caps.
    public var connectionLimits: ClientConnectionLimits = .init()
    /// The bearer token `/metrics` requires; without one, `/metrics` answers loopback clients only.
    public var metricsToken: String?
    /// Credentials injected upstream (ignored for the embedded upstream, which uses the
    /// sandbox's demo credentials).
    public var credentials: UpstreamCredentials = .init()
    /// Whether each request is logged (at `info`).
    public var accessLog: Bool = true
    public var logLevel: Logger.Level = .info

    public init() {}

    /// Whether the gateway serves HTTPS.
    public var servesTLS: Bool { tlsCertificateFile != nil }

    /// Whether the console is served.
    public var servesConsole: Bool { console ?? (upstream == .embedded) }

    /// The shortest frontend key accepted.
    public static let minimumFrontendKeyLength = 16

    /// Checks the rules that span several options.
    public func validate() throws(GatewayConfigurationError) {
        guard (0...65535).contains(port) else { throw GatewayConfigurationError("--port must be between 0 and 65535") }
        guard maximumBodySize > 0 else { throw GatewayConfigurationError("--max-body-size must be positive") }
        guard upstreamTimeout > .zero else { throw GatewayConfigurationError("--upstream-timeout must be positive") }
        guard rateLimit.ratePerSecond >= 0 else { throw GatewayConfigurationError("--rate-limit must not be negative") }
        for (name, timeout) in [
            ("--head-timeout", connectionLimits.headTimeout), ("--body-timeout", connectionLimits.bodyTimeout),
            ("--idle-timeout", connectionLimits.idleTimeout),
        ] where timeout <= .zero {
            throw GatewayConfigurationError("\(name) must be positive")
        }
        if let maximum = connectionLimits.maximumConnections, maximum < 1 {
            throw GatewayConfigurationError("--max-connections must be at least 1")
        }
        if let maximum = connectionLimits.maximumConnectionsPerClient, maximum < 1 {
            throw GatewayConfigurationError("--max-connections-per-client must be at least 1")
        }
        if (tlsCertificateFile == nil) != (tlsKeyFile == nil) {
            throw GatewayConfigurationError("--tls-certificate and --tls-key go together")
        }
        if let metricsToken, metricsToken.utf8.count < Self.minimumFrontendKeyLength {
            throw GatewayConfigurationError("--metrics-token must be at least \(Self.minimumFrontendKeyLength) characters")
        }
        for key in frontendKeys where key.utf8.count < Self.minimumFrontendKeyLength {
            throw GatewayConfigurationError("--frontend-key: each key must be at least \(Self.minimumFrontendKeyLength) characters")
        }
        if !Self.isLoopback(host) && frontendKeys.isEmpty && !insecurePublic {
            throw GatewayConfigurationError(
                "refusing to bind \(host), which is not a loopback address, without a --frontend-key; "
                    + "pass --insecure-public to expose the credentials to anyone who can reach it")
        }
    }

    /// Whether `host` names only this machine.
    public static func isLoopback(_ host: String) -> Bool {
        let lowered = host.lowercased()
        if lowered == "localhost" || lowered == "::1" || lowered == "[::1]" { return true }
        let parts = lowered.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }
}
