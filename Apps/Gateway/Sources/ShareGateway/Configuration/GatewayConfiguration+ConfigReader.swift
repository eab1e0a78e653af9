import Configuration
import Logging
import ShareCredentials
import SystemPackage

extension GatewayConfiguration {
    /// The configuration keys, as written in a JSON config file. Environment variables use the
    /// same keys with a `SHARE_GATEWAY_` prefix (`allowOrigin` is `SHARE_GATEWAY_ALLOW_ORIGIN`,
    /// lists comma-separated); credentials are read from `PLAID_CLIENT_ID`, `PLAID_SECRET` and
    /// `SHARE_API_KEY` (or `plaid.client_id`, `plaid.secret`, `share.api_key` in the file).
    public enum Key {
        public static let host: ConfigKey = ["host"]
        public static let port: ConfigKey = ["port"]
        public static let upstream: ConfigKey = ["upstream"]
        public static let allowOrigin: ConfigKey = ["allowOrigin"]
        public static let frontendKey: ConfigKey = ["frontendKey"]
        public static let allowPath: ConfigKey = ["allowPath"]
        public static let allowAudience: ConfigKey = ["allowAudience"]
        public static let insecurePublic: ConfigKey = ["insecurePublic"]
        public static let console: ConfigKey = ["console"]
        public static let maxBodySize: ConfigKey = ["maxBodySize"]
        public static let upstreamTimeout: ConfigKey = ["upstreamTimeout"]
        public static let upstreamCA: ConfigKey = ["upstreamCA"]
        public static let tlsCertificate: ConfigKey = ["tlsCertificate"]
        public static let tlsKey: ConfigKey = ["tlsKey"]
        public static let rateLimit: ConfigKey = ["rateLimit"]
        public static let rateBurst: ConfigKey = ["rateBurst"]
        public static let headTimeout: ConfigKey = ["headTimeout"]
        public static let bodyTimeout: ConfigKey = ["bodyTimeout"]
        public static let idleTimeout: ConfigKey = ["idleTimeout"]
        public static let maxConnections: ConfigKey = ["maxConnections"]
        public static let maxConnectionsPerClient: ConfigKey = ["maxConnectionsPerClient"]
        public static let metricsToken: ConfigKey = ["metricsToken"]
        public static let accessLog: ConfigKey = ["accessLog"]
        public static let logLevel: ConfigKey = ["logLevel"]
        public static let clientID: ConfigKey = ["plaid", "client_id"]
        public static let secret: ConfigKey = ["plaid", "secret"]
        public static let shareAPIKey: ConfigKey = ["share", "api_key"]
    }

    /// The environment-variable prefix of the gateway's own options.
    public static let environmentPrefix: ConfigKey = ["shareGateway"]

    /// The providers, highest precedence first: `flags`, then the environment (prefixed), then
    /// the JSON file at `configFile` (when given).
    public static func providers(
        flags: [AbsoluteConfigKey: ConfigValue],
        environment: [String: String],
        configFile: String?
    ) async throws -> [any ConfigProvider] {
        let environmentProvider = EnvironmentVariablesProvider(
            environmentVariables: environment,
            secretsSpecifier: .specific(["SHARE_GATEWAY_FRONTEND_KEY", "SHARE_GATEWAY_METRICS_TOKEN", "SHARE_GATEWAY_PLAID_SECRET", "SHARE_GATEWAY_SHARE_API_KEY"])
        )
        var providers: [any ConfigProvider] = [
            InMemoryProvider(name: "flags", values: flags),
            KeyMappingProvider(upstream: environmentProvider) { $0.prepending(environmentPrefix) },
        ]
        if let configFile {
            providers.append(try await FileProvider<JSONSnapshot>(filePath: FilePath(configFile)))
        }
        return providers
    }

    /// The credentials chain: the standard environment variables (`PLAID_CLIENT_ID`,
    /// `PLAID_SECRET`, `SHARE_API_KEY`), then `plaid.client_id`, `plaid.secret` and
    /// `share.api_key` from `reader` (the config file).
    public static func credentialsProvider(environment: [String: String], reader: ConfigReader) -> any CredentialsProvider {
        let fileClient: ClientCredentials? =
            if let id = reader.string(forKey: Key.clientID), let secret = reader.string(forKey: Key.secret, isSecret: true) {
                ClientCredentials(clientID: id, secret: secret)
            } else {
                nil
            }
        let fileKey = reader.string(forKey: Key.shareAPIKey, isSecret: true).map(APIKey.init)
        return CredentialsChain([
            EnvironmentCredentialsProvider(environment: environment),
            StaticCredentialsProvider(fileClient, apiKey: fileKey),
        ])
    }

    /// Reads and validates every option; credentials come from `credentials`.
    public init(reader: ConfigReader, credentials: any CredentialsProvider) throws(GatewayConfigurationError) {
        self.init()
        if let host = reader.string(forKey: Key.host) { self.host = host }
        if let port = reader.int(forKey: Key.port) { self.port = port }
        if let upstream = reader.string(forKey: Key.upstream) { self.upstream = try UpstreamSetting(parsing: upstream) }
        do {
            cors = try CORSPolicy(allowedOrigins: reader.stringArray(forKey: Key.allowOrigin) ?? [])
        } catch {
            throw GatewayConfigurationError(error.description)
        }
        frontendKeys = reader.stringArray(forKey: Key.frontendKey, isSecret: true) ?? []
        if let paths = reader.stringArray(forKey: Key.allowPath), !paths.isEmpty {
            do {
                allowedPaths = try PathAllowlist(parsing: paths)
            } catch {
                throw GatewayConfigurationError(error.description)
            }
        }
        allowedAudiences = reader.stringArray(forKey: Key.allowAudience) ?? []
        insecurePublic = reader.bool(forKey: Key.insecurePublic) ?? false
        console = reader.bool(forKey: Key.console)
        if let size = reader.int(forKey: Key.maxBodySize) { maximumBodySize = size }
        if let timeout = reader.double(forKey: Key.upstreamTimeout) {
            guard timeout > 0, timeout.isFinite else { throw GatewayConfigurationError("--upstream-timeout must be a positive number of seconds") }
            upstreamTimeout = .milliseconds(Int64(timeout * 1000))
        }
        upstreamCAFile = reader.string(forKey: Key.upstreamCA)
        tlsCertificateFile = reader.string(forKey: Key.tlsCertificate)
        tlsKeyFile = reader.string(forKey: Key.tlsKey)
        if let rate = reader.double(forKey: Key.rateLimit) {
            rateLimit = .init(ratePerSecond: rate, burst: reader.double(forKey: Key.rateBurst) ?? max(1, rate * 2))
        } else if let burst = reader.double(forKey: Key.rateBurst) {
            rateLimit.burst = max(1, burst)
        }
        for (key, flag, keyPath) in [
            (Key.headTimeout, "--head-timeout", \ClientConnectionLimits.headTimeout),
            (Key.bodyTimeout, "--body-timeout", \ClientConnectionLimits.bodyTimeout),
            (Key.idleTimeout, "--idle-timeout", \ClientConnectionLimits.idleTimeout),
        ] {
            guard let seconds = reader.double(forKey: key) else { continue }
            guard seconds > 0, seconds.isFinite else { throw GatewayConfigurationError("\(flag) must be a positive number of seconds") }
            connectionLimits[keyPath: keyPath] = .milliseconds(Int64(seconds * 1000))
        }
        connectionLimits.maximumConnections = reader.int(forKey: Key.maxConnections)
        connectionLimits.maximumConnectionsPerClient = reader.int(forKey: Key.maxConnectionsPerClient)
        metricsToken = reader.string(forKey: Key.metricsToken, isSecret: true)
        accessLog = reader.bool(forKey: Key.accessLog) ?? true
        if let level = reader.string(forKey: Key.logLevel) {
            guard let parsed = Logger.Level(rawValue: level.lowercased()) else {
                throw GatewayConfigurationError("--log-level must be one of " + Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))
            }
            logLevel = parsed
        }
        do {
            self.credentials = try UpstreamCredentials(provider: credentials)
        } catch {
            throw GatewayConfigurationError(error.description)
        }
        try validate()
    }
}
