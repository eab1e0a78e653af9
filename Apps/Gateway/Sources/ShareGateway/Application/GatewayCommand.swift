import ArgumentParser
import Configuration
import Foundation
import Hummingbird
import Logging
import NIOCore
import ShareSandbox

/// `share-gateway`: the credential-injecting proxy for frontends.
///
/// Every option can also come from the environment (`SHARE_GATEWAY_PORT`, …) or a JSON file
/// (`--config`); flags win over the environment, which wins over the file.
public struct GatewayCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "share-gateway",
        abstract: "Forward frontend requests to the API, injecting the server's credentials.",
        discussion: """
            Credentials come from PLAID_CLIENT_ID and PLAID_SECRET (SHARE_API_KEY for the \
            share-token routes); the embedded upstream uses the sandbox's demo credentials. \
            Each option may also be set as SHARE_GATEWAY_<OPTION> (e.g. SHARE_GATEWAY_ALLOW_ORIGIN, \
            comma-separated lists) or in the JSON file given with --config (e.g. {"allowOrigin": [...]}). \
            An invalid value from any of them, missing credentials for a remote upstream, or a taken \
            port stops start-up with exit status 2 and a message naming the source and key; so does a \
            SHARE_GATEWAY_ variable or file key that is not a setting, naming it (never its value) and \
            the setting it most likely meant. Once it \
            listens, the gateway prints one line: its address, the upstream and the console URL.
            """
    )

    @Option(help: "Address to bind (default 127.0.0.1).") var host: String?
    @Option(help: "Port to bind (default 8081).") var port: Int?
    @Option(help: "embedded (default), sandbox, production, or an http(s):// base URL.") var upstream: String?
    @Option(name: .customLong("allow-origin"), help: "A browser origin allowed to call the gateway (repeatable).") var allowOrigin: [String] = []
    @Option(name: .customLong("frontend-key"), help: "A key frontends must send as X-Gateway-Key (repeatable, 16+ characters).") var frontendKey: [String] = []
    @Option(name: .customLong("allow-path"), help: "A forwarded path, '…' suffix for a subtree, optionally after its methods ('GET,POST /api/…'; default GET and POST; HEAD comes with GET; repeatable; replaces the default list).") var allowPath: [String] = []
    @Option(name: .customLong("allow-audience"), help: "A partner token exchange may target (repeatable; default any).") var allowAudience: [String] = []
    @Option(help: "A JSON configuration file.") var config: String?
    @Flag(name: .customLong("insecure-public"), help: "Allow a non-loopback --host without any --frontend-key.") var insecurePublic = false
    @Flag(inversion: .prefixedNo, help: "Serve the console at /console/ (default: on with the embedded upstream).") var console: Bool?
    @Option(name: .customLong("max-body-size"), help: "Largest request body in bytes (default 65536).") var maxBodySize: Int?
    @Option(name: .customLong("upstream-timeout"), help: "Seconds the upstream has to answer (default 15).") var upstreamTimeout: Double?
    @Option(name: .customLong("upstream-ca"), help: "A PEM file of CAs trusted for an https upstream, besides the system's.") var upstreamCA: String?
    @Option(name: .customLong("tls-certificate"), help: "A PEM certificate chain to serve HTTPS with (with --tls-key; SIGHUP reloads both).") var tlsCertificate: String?
    @Option(name: .customLong("tls-key"), help: "The PEM private key of --tls-certificate.") var tlsKey: String?
    @Option(name: .customLong("rate-limit"), help: "Requests per second per client; 0 disables (default 20).") var rateLimit: Double?
    @Option(name: .customLong("rate-burst"), help: "Requests a client may make at once (default 2 × rate).") var rateBurst: Double?
    @Option(name: .customLong("head-timeout"), help: "Seconds a client has to send a request head (default 10).") var headTimeout: Double?
    @Option(name: .customLong("body-timeout"), help: "Seconds a client has to send a request body after its head (default 30).") var bodyTimeout: Double?
    @Option(name: .customLong("idle-timeout"), help: "Seconds a keep-alive connection may wait for its next request (default 30).") var idleTimeout: Double?
    @Option(name: .customLong("max-connections"), help: "Client connections served at once (default: from the open-file limit, at most 4096).") var maxConnections: Int?
    @Option(name: .customLong("max-connections-per-client"), help: "Connections one client address may hold (default: a quarter of --max-connections).") var maxConnectionsPerClient: Int?
    @Option(name: .customLong("metrics-token"), help: "Bearer token /metrics requires (16+ characters; default: loopback clients only).") var metricsToken: String?
    @Flag(inversion: .prefixedNo, help: "Log one line per request (default on).") var accessLog: Bool?
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.") var logLevel: String?

    public init() {}

    /// The parsed flags as configuration values (only those given, so that the environment and
    /// the file still apply to the rest).
    func flagValues() -> [AbsoluteConfigKey: ConfigValue] {
        typealias Key = GatewayConfiguration.Key
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        func set(_ key: ConfigKey, _ content: ConfigContent, secret: Bool = false) {
            values[AbsoluteConfigKey(key)] = ConfigValue(content, isSecret: secret)
        }
        if let host { set(Key.host, .string(host)) }
        if let port { set(Key.port, .int(port)) }
        if let upstream { set(Key.upstream, .string(upstream)) }
        if !allowOrigin.isEmpty { set(Key.allowOrigin, .stringArray(allowOrigin)) }
        if !frontendKey.isEmpty { set(Key.frontendKey, .stringArray(frontendKey), secret: true) }
        if !allowPath.isEmpty { set(Key.allowPath, .stringArray(allowPath)) }
        if !allowAudience.isEmpty { set(Key.allowAudience, .stringArray(allowAudience)) }
        if insecurePublic { set(Key.insecurePublic, .bool(true)) }
        if let console { set(Key.console, .bool(console)) }
        if let maxBodySize { set(Key.maxBodySize, .int(maxBodySize)) }
        if let upstreamTimeout { set(Key.upstreamTimeout, .double(upstreamTimeout)) }
        if let upstreamCA { set(Key.upstreamCA, .string(upstreamCA)) }
        if let tlsCertificate { set(Key.tlsCertificate, .string(tlsCertificate)) }
        if let tlsKey { set(Key.tlsKey, .string(tlsKey)) }
        if let rateLimit { set(Key.rateLimit, .double(rateLimit)) }
        if let rateBurst { set(Key.rateBurst, .double(rateBurst)) }
        if let headTimeout { set(Key.headTimeout, .double(headTimeout)) }
        if let bodyTimeout { set(Key.bodyTimeout, .double(bodyTimeout)) }
        if let idleTimeout { set(Key.idleTimeout, .double(idleTimeout)) }
        if let maxConnections { set(Key.maxConnections, .int(maxConnections)) }
        if let maxConnectionsPerClient { set(Key.maxConnectionsPerClient, .int(maxConnectionsPerClient)) }
        if let metricsToken { set(Key.metricsToken, .string(metricsToken), secret: true) }
        if let accessLog { set(Key.accessLog, .bool(accessLog)) }
        if let logLevel { set(Key.logLevel, .string(logLevel)) }
        return values
    }

    /// Resolves the configuration from flags, `environment` and the config file.
    public func resolveConfiguration(environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> GatewayConfiguration {
        let file = config ?? environment[GatewayEnvironmentSetting.config.name]
        let sources = try await GatewayConfigurationSources(flags: flagValues(), environment: environment, configFile: file)
        try sources.refuseUnknownNames(options: GatewayConfiguration.options)
        try sources.checkTypes(of: GatewayConfiguration.options)
        let reader = ConfigReader(providers: sources.providers)
        do {
            return try GatewayConfiguration(
                reader: reader,
                credentials: GatewayConfiguration.credentialsProvider(environment: environment, reader: reader)
            )
        } catch {
            throw sources.namingSource(error, options: GatewayConfiguration.options)
        }
    }

    public func run() async throws {
        // A GatewayConfigurationError propagates as is: the entry point prints it and exits with
        // ``usageExitCode``.
        let configuration = try await resolveConfiguration()
        LoggingSystem.bootstrap { label in
            DeferredMetadataLogHandler.standardError(label: label, logLevel: configuration.logLevel)
        }
        var logger = Logger(label: "share-gateway")
        logger.logLevel = configuration.logLevel
        // Before the connection cap is derived from it: a soft limit of 1,024 would cap the
        // gateway at a few hundred connections while the hard limit allows far more.
        if let limits = FileDescriptorLimit.raiseSoftLimitToHard() {
            logger.info("open-file limit", metadata: ["soft": "\(limits.soft)", "hard": "\(limits.hard)"])
        }
        if configuration.upstream != .embedded {
            // Start-up refused none at all; half is allowed (a gateway for the share-token API
            // only, say), but said loudly.
            if configuration.credentials.client == nil {
                logger.warning("no PLAID_CLIENT_ID/PLAID_SECRET: the upstream will refuse /oauth/… and /user/create (answered 502 upstream_credentials_rejected)")
            }
            if configuration.credentials.apiKey == nil {
                logger.warning("no SHARE_API_KEY: the upstream will refuse the share-token routes (answered 502 upstream_credentials_rejected)")
            }
        }
        let app = try await GatewayLauncher.makeApplication(configuration: configuration, logger: logger, onReady: GatewayAnnouncement.say)
        do {
            try await app.runService()
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw GatewayConfigurationError(GatewayAnnouncement.portTaken(host: configuration.host, port: configuration.port))
        }
    }

    /// The exit status of a usage or configuration error — a bad flag, environment variable or
    /// file value, or a taken port — as the `share` shell's.
    public static let usageExitCode: Int32 = 2

    /// Prints `error` on standard error and exits: ``usageExitCode`` for a usage or configuration
    /// error (`Error: ` before each of its lines), ArgumentParser's status otherwise (0 for `--help`).
    public static func exit(reporting error: any Error) -> Never {
        if let error = error as? GatewayConfigurationError {
            let lines = error.description.split(separator: "\n", omittingEmptySubsequences: false)
            FileHandle.standardError.write(Data(lines.map { "Error: \($0)\n" }.joined().utf8))
            Foundation.exit(usageExitCode)
        }
        if exitCode(for: error) == .validationFailure {
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(usageExitCode)
        }
        Self.exit(withError: error)
    }
}
