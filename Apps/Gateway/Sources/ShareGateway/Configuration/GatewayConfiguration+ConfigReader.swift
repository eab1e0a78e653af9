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
        /// `org_…=key` pairs: the organizations a caller may choose with `Share-Organization`.
        public static let organizationKey: ConfigKey = ["organizationKey"]
    }

    /// Every option read from flags, the environment or the file, with the type its value must
    /// have in each (checked before reading: ``GatewayConfigurationSources/checkTypes(of:)``).
    /// With ``GatewayEnvironmentSetting``, the settings the gateway knows: any other
    /// `SHARE_GATEWAY_…` variable or file key stops start-up
    /// (``GatewayConfigurationSources/refuseUnknownNames(options:)``).
    static let options: [GatewayConfigurationSources.Option] = [
        .init(key: Key.host, type: .string, isSecret: false),
        .init(key: Key.port, type: .int, isSecret: false),
        .init(key: Key.upstream, type: .string, isSecret: false),
        .init(key: Key.allowOrigin, type: .stringArray, isSecret: false),
        .init(key: Key.frontendKey, type: .stringArray, isSecret: true),
        .init(key: Key.allowPath, type: .stringArray, isSecret: false),
        .init(key: Key.allowAudience, type: .stringArray, isSecret: false),
        .init(key: Key.insecurePublic, type: .bool, isSecret: false),
        .init(key: Key.console, type: .bool, isSecret: false),
        .init(key: Key.maxBodySize, type: .int, isSecret: false),
        .init(key: Key.upstreamTimeout, type: .double, isSecret: false),
        .init(key: Key.upstreamCA, type: .string, isSecret: false),
        .init(key: Key.tlsCertificate, type: .string, isSecret: false),
        .init(key: Key.tlsKey, type: .string, isSecret: false),
        .init(key: Key.rateLimit, type: .double, isSecret: false),
        .init(key: Key.rateBurst, type: .double, isSecret: false),
        .init(key: Key.headTimeout, type: .double, isSecret: false),
        .init(key: Key.bodyTimeout, type: .double, isSecret: false),
        .init(key: Key.idleTimeout, type: .double, isSecret: false),
        .init(key: Key.maxConnections, type: .int, isSecret: false),
        .init(key: Key.maxConnectionsPerClient, type: .int, isSecret: false),
        .init(key: Key.metricsToken, type: .string, isSecret: true),
        .init(key: Key.accessLog, type: .bool, isSecret: false),
        .init(key: Key.logLevel, type: .string, isSecret: false),
        .init(key: Key.organizationKey, type: .stringArray, isSecret: true),
        .init(key: Key.clientID, type: .string, isSecret: false),
        .init(key: Key.secret, type: .string, isSecret: true),
        .init(key: Key.shareAPIKey, type: .string, isSecret: true),
    ]

    /// The environment-variable prefix of the gateway's own options.
    public static let environmentPrefix: ConfigKey = ["shareGateway"]

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

    /// Why a remote upstream cannot be used without credentials, and how to give them.
    static func missingCredentialsMessage(upstream: UpstreamSetting) -> String {
        "--upstream \(upstream) needs credentials for the gateway to inject: set PLAID_CLIENT_ID and PLAID_SECRET "
            + "(and SHARE_API_KEY for the share-token routes), or plaid.client_id, plaid.secret and share.api_key in the --config file"
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
            throw GatewayConfigurationError("--allow-origin: \(error.description)")
        }
        frontendKeys = reader.stringArray(forKey: Key.frontendKey, isSecret: true) ?? []
        if let paths = reader.stringArray(forKey: Key.allowPath), !paths.isEmpty {
            do {
                allowedPaths = try PathAllowlist(parsing: paths)
            } catch {
                throw GatewayConfigurationError("--allow-path: \(error.description)")
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
        for entry in reader.stringArray(forKey: Key.organizationKey, isSecret: true) ?? [] {
            guard let organization = UpstreamCredentials.Organization(parsing: entry) else {
                throw GatewayConfigurationError("--organization-key must be ORG=API_KEY (an organization id, `=`, its share-token API key)")
            }
            self.credentials.organizations.removeAll { $0.id == organization.id }
            self.credentials.organizations.append(organization)
        }
        if upstream != .embedded && self.credentials.client == nil && self.credentials.apiKey == nil {
            // Else every request would be refused upstream, asking the frontend for the very
            // credentials the gateway strips.
            throw GatewayConfigurationError(Self.missingCredentialsMessage(upstream: upstream))
        }
        try validate()
    }
}
