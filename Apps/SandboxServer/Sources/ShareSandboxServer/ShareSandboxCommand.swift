import ArgumentParser
import Foundation
import Hummingbird
import Logging
import NIOCore
import PartnerExperian
import PartnerFannieMae
import PartnerFreddieMac
import ShareSandbox
import ShareSandboxPostgres
import SharePartners

/// `share-sandbox`: the offline emulator of the OAuth API as a server.
public struct ShareSandboxCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "share-sandbox",
        abstract: "Run the ShareKit sandbox: an offline emulator of the OAuth token API.",
        discussion: """
            With no --client, --partner or configuration-file clients, the sandbox registers its demo \
            clients (demo-client, demo-client-2 and demo-<partner> for every partner); their secrets \
            are documented in docs/sandbox.md. Secrets are never printed.

            Connection limits (defaults in brackets): at most --max-connections open connections \
            [512]; beyond that new connections wait in the listen backlog. A request head must \
            arrive within --head-timeout seconds [10], a body within --body-timeout seconds of its \
            head [30], and a connection with no request in progress closes after --idle-timeout \
            seconds [60]. At start the soft limit on open files is raised to the hard limit, and \
            the connection cap is lowered to fit under it.

            The control plane under /sandbox/ (move the clock, inject faults, redeliver webhooks, \
            reset the state; docs/sandbox.md) is on unless --no-control-plane is given.

            Retention (every store): a day (--retention 86400) after they stopped mattering, the \
            sandbox deletes token families whose tokens have all expired or been revoked, share \
            tokens redeemed, failed or expired, events whose delivery ended (or was never \
            requested) and workflow runs, in batches of 500, every tenth of the retention (at most \
            hourly) and whenever its clock moves forward. Users, clients, records and connections \
            are kept. --no-retention keeps everything.
            """
    )

    @Option(help: "The address to listen on.")
    public var host: String = "127.0.0.1"

    @Option(help: "The port to listen on; 0 picks a free one.")
    public var port: Int = 8080

    @Option(name: .customLong("client"), help: ArgumentHelp("A client to accept (repeatable).", valueName: "ID:SECRET"))
    public var clients: [String] = []

    @Option(
        name: .customLong("partner"),
        help: ArgumentHelp("A client acting for a partner, e.g. fannie-mae=ID:SECRET (repeatable).", valueName: "NAME=ID:SECRET"))
    public var partners: [String] = []

    @Option(help: ArgumentHelp("A JSON configuration file (clients, partners, organizations, connections, records).", valueName: "FILE"))
    public var config: String?

    @Option(
        help: ArgumentHelp(
            "Keep state in this SQLite database, or in the PostgreSQL database of a postgres:// URL "
                + "(postgres://USER@HOST:PORT/DATABASE; parts left out come from PGUSER, PGPASSWORD, PGHOST, PGPORT, "
                + "PGDATABASE, PGSSLMODE), instead of in memory.",
            valueName: "PATH|URL"))
    public var data: String?

    @Option(help: ArgumentHelp("Lifetime of access tokens.", valueName: "SECONDS"))
    public var accessTokenTTL: Int?

    @Option(
        help: ArgumentHelp(
            "Lifetime of the access tokens of one grant, by grant type or subject token type (repeatable); "
                + "default: urn:plaid:params:credit:multi-user=2591999 (Plaid's documents), others --access-token-ttl (900).",
            valueName: "KEY=SECONDS"))
    public var accessTokenLifetime: [String] = []

    @Option(help: ArgumentHelp("Lifetime of refresh tokens.", valueName: "SECONDS"))
    public var refreshTokenTTL: Int?

    @Option(help: ArgumentHelp("The most connections open at once (default 512).", valueName: "COUNT"))
    public var maxConnections: Int?

    @Option(help: ArgumentHelp("Seconds a request head may take to arrive (default 10).", valueName: "SECONDS"))
    public var headTimeout: Int?

    @Option(help: ArgumentHelp("Seconds a request body may take to arrive after its head (default 30).", valueName: "SECONDS"))
    public var bodyTimeout: Int?

    @Option(help: ArgumentHelp("Seconds an idle keep-alive connection stays open (default 60).", valueName: "SECONDS"))
    public var idleTimeout: Int?

    @Option(help: ArgumentHelp("Requests per minute each API key may make to /api/v1 (default 300).", valueName: "COUNT"))
    public var apiRateLimit: Int?

    @Option(
        help: ArgumentHelp(
            "Seconds a webhook receiver has to answer a delivery (default 5, as on Persona); a slower answer is a failed attempt. "
                + "With several sandboxes on one PostgreSQL --data, a delivery claimed by one that stopped is attempted by another "
                + "after the timeout plus as long again (at least 5 seconds more).",
            valueName: "SECONDS"))
    public var webhookTimeout: Int?

    @Option(
        help: ArgumentHelp(
            "Delete expired and revoked tokens, finished share tokens, events whose delivery ended and workflow runs "
                + "this long after they stopped mattering (default 86400, a day; any store). Also \"retention\" in --config.",
            valueName: "SECONDS"))
    public var retention: Int?

    @Flag(
        name: .customLong("no-retention"),
        help: ArgumentHelp("Keep everything: never purge finished rows. Also \"retention\": false in --config."))
    public var noRetention = false

    @Flag(
        name: .customLong("no-control-plane"),
        help: ArgumentHelp(
            "Do not serve the /sandbox/ control plane (clock, faults, webhook redelivery, reset); its paths then answer 404. "
                + "Also \"control_plane\": false in --config."))
    public var noControlPlane = false

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    public var logLevel: String = "info"

    public init() {}

    public func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        if let accessTokenTTL, accessTokenTTL <= 0 { throw ValidationError("--access-token-ttl must be a positive number of seconds") }
        if let refreshTokenTTL, refreshTokenTTL <= 0 { throw ValidationError("--refresh-token-ttl must be a positive number of seconds") }
        if let maxConnections, maxConnections <= 0 { throw ValidationError("--max-connections must be a positive number") }
        if let apiRateLimit, apiRateLimit <= 0 { throw ValidationError("--api-rate-limit must be a positive number") }
        let timeouts = [
            ("--head-timeout", headTimeout), ("--body-timeout", bodyTimeout), ("--idle-timeout", idleTimeout),
            ("--webhook-timeout", webhookTimeout),
        ]
        for (name, value) in timeouts {
            if let value, value <= 0 { throw ValidationError("\(name) must be a positive number of seconds") }
        }
        for text in accessTokenLifetime where AccessTokenLifetimes.parse(text) == nil {
            throw ValidationError(
                "--access-token-lifetime expects KEY=SECONDS with KEY one of \(AccessTokenLifetimes.keys.joined(separator: ", "))")
        }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
        _ = try postgresLocation()
        if let retention {
            guard retention > 0 else {
                throw ValidationError("--retention must be a positive number of seconds; to keep everything, use --no-retention")
            }
            guard !noRetention else { throw ValidationError("--retention and --no-retention contradict each other") }
        }
    }

    /// The PostgreSQL database `--data` names, or `nil` when it names a SQLite file or is absent.
    /// The error never repeats the URL, which may carry a password.
    public func postgresLocation(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PostgresLocation? {
        guard let data, PostgresLocation.isURL(data) else { return nil }
        do {
            return try PostgresLocation(url: data, environment: environment)
        } catch {
            throw ValidationError("--data: \(error)")
        }
    }

    /// The partners every `share-sandbox` knows.
    public static func partnerRegistry() throws -> PartnerRegistry {
        try PartnerRegistry([Experian(), FannieMae(), FreddieMac()])
    }

    /// The sandbox configuration these options describe.
    public func makeConfiguration(partners registry: PartnerRegistry, logger: Logger) throws -> SandboxConfiguration {
        var registrations: [ClientRegistration] = []
        var file: SandboxConfigFile?
        if let config {
            let loaded = try SandboxConfigFile.load(path: config)
            registrations += try loaded.registrations(partners: registry)
            file = loaded
        }
        for text in clients {
            guard let registration = ClientRegistration(parsing: text) else {
                throw ValidationError("--client expects ID:SECRET")
            }
            registrations.append(registration)
        }
        for text in partners {
            guard let equals = text.firstIndex(of: "="),
                let registration = ClientRegistration(parsing: String(text[text.index(after: equals)...]))
            else {
                throw ValidationError("--partner expects NAME=ID:SECRET, e.g. fannie-mae=my-id:my-secret")
            }
            let adapter: any PartnerAdapter
            do {
                adapter = try registry.resolve(String(text[..<equals]))
            } catch {
                throw ValidationError("--partner: \(error)")
            }
            registrations.append(ClientRegistration(id: registration.id, secret: registration.secret, partner: adapter.id))
        }
        let duplicates = Dictionary(grouping: registrations, by: \.id).filter { $0.value.count > 1 }.keys.sorted()
        guard duplicates.isEmpty else {
            throw ValidationError("client ids registered twice: \(duplicates.joined(separator: ", "))")
        }
        var configuration = SandboxConfiguration(
            host: host, port: port, clients: registrations, partners: registry,
            // A PostgreSQL store is opened by `run()` and handed to the server (``postgresLocation()``).
            storage: data.flatMap { PostgresLocation.isURL($0) ? nil : .sqlite(path: $0) } ?? .memory,
            shareTokenSeed: file?.shareTokenSeed ?? ShareTokenSeed(),
            logger: logger
        )
        if let ttl = accessTokenTTL ?? file?.accessTokenTTL { configuration.accessTokenTTL = ttl }
        if let ttl = refreshTokenTTL ?? file?.refreshTokenTTL { configuration.refreshTokenTTL = ttl }
        if let count = maxConnections ?? file?.maxConnections { configuration.connectionLimits.maximumConnections = count }
        if let seconds = headTimeout ?? file?.headTimeout { configuration.connectionLimits.headReadTimeout = .seconds(seconds) }
        if let seconds = bodyTimeout ?? file?.bodyTimeout { configuration.connectionLimits.bodyReadTimeout = .seconds(seconds) }
        if let seconds = idleTimeout ?? file?.idleTimeout { configuration.connectionLimits.idleTimeout = .seconds(seconds) }
        if let limit = apiRateLimit ?? file?.apiRateLimit { configuration.apiRateLimit = limit }
        if let seconds = webhookTimeout ?? file?.webhookTimeout { configuration.webhookDelivery.attemptTimeout = .seconds(seconds) }
        configuration.controlPlane = !noControlPlane && (file?.controlPlane ?? true)
        if noRetention {
            configuration.retention = nil
        } else if let seconds = retention {
            configuration.retention = SandboxRetention(seconds: seconds)
        } else if let setting = file?.retention {
            configuration.retention = setting.seconds.map { SandboxRetention(seconds: $0) }
        }
        for (key, seconds) in file?.accessTokenLifetimes ?? [:] { configuration.accessTokenLifetimes.seconds[key] = seconds }
        for case let (key, seconds)? in accessTokenLifetime.map(AccessTokenLifetimes.parse) {
            configuration.accessTokenLifetimes.seconds[key] = seconds
        }
        do {
            _ = try ShareTokenDirectory(seed: configuration.effectiveShareTokenSeed)
        } catch {
            throw ValidationError("\(config ?? "configuration"): \(error)")
        }
        return configuration
    }

    /// File descriptors kept free of connections: the listening socket, the SQLite database and
    /// its WAL, webhook deliveries, standard streams.
    public static let reservedFileDescriptors: UInt64 = 64

    /// `requested`, lowered when needed so that the connections and the reserve fit under the
    /// soft limit of open files.
    public static func connectionCap(_ requested: Int, fileDescriptorLimit soft: UInt64?) -> Int {
        guard let soft else { return requested }
        let available = soft > reservedFileDescriptors ? soft - reservedFileDescriptors : 1
        return Int(min(UInt64(requested), max(available, 1)))
    }

    public func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            DeferredMetadataLogHandler.standardError(label: label, logLevel: level)
        }
        let logger = Logger(label: "share-sandbox")
        var configuration: SandboxConfiguration
        do {
            configuration = try makeConfiguration(partners: Self.partnerRegistry(), logger: logger)
        } catch let error as SandboxConfigurationError {
            throw ValidationError(error.description)
        }
        let limit = FileDescriptorLimit.raiseSoftLimitToHard()
        let cap = Self.connectionCap(configuration.connectionLimits.maximumConnections, fileDescriptorLimit: limit?.soft)
        if cap < configuration.connectionLimits.maximumConnections {
            logger.notice(
                "connection cap lowered to fit the open-file limit",
                metadata: ["connections.maximum": "\(cap)", "nofile.soft": "\(limit?.soft ?? 0)"])
            configuration.connectionLimits.maximumConnections = cap
        }
        SandboxAnnouncement.clients(configuration).forEach(SandboxAnnouncement.say)
        if let location = try postgresLocation() {
            SandboxAnnouncement.say(SandboxAnnouncement.postgres(location))
            do {
                try await PostgresSandboxStore.withStore(location, logger: logger) { [configuration] store in
                    let app = try await SandboxServer.buildApplication(
                        configuration: configuration, store: store, onServerRunning: Self.announceReady(configuration))
                    try await Self.serve(app, configuration)
                }
            } catch let error as PostgresStoreUnreachable {
                throw Self.startUpRefused(error)
            }
        } else {
            let app: any ApplicationProtocol
            do {
                app = try await SandboxServer.buildApplication(configuration: configuration, onServerRunning: Self.announceReady(configuration))
            } catch let error as SQLiteStoreUnopenable {
                throw Self.startUpRefused(error)
            }
            try await Self.serve(app, configuration)
        }
        SandboxAnnouncement.say("ShareKit sandbox stopped")
    }

    /// Announces the URL once the server listens.
    private static func announceReady(_ configuration: SandboxConfiguration) -> @Sendable (any Channel) async -> Void {
        let (host, configuredPort) = (configuration.host, configuration.port)
        return { channel in
            let port = channel.localAddress?.port ?? configuredPort
            SandboxAnnouncement.say(SandboxAnnouncement.ready(host: host, port: port))
        }
    }

    /// Runs `app` until it is stopped; a taken port is an error with exit status 2.
    private static func serve(_ app: some ApplicationProtocol, _ configuration: SandboxConfiguration) async throws {
        do {
            try await app.runService()
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw startUpRefused(SandboxAnnouncement.portTaken(host: configuration.host, port: configuration.port))
        }
    }

    /// Says on standard error why the sandbox cannot start with what it was given (a database
    /// that cannot be reached or opened, a taken port) and answers exit status 2 to throw.
    private static func startUpRefused(_ reason: some CustomStringConvertible) -> ExitCode {
        FileHandle.standardError.write(Data("Error: \(reason)\n".utf8))
        return ExitCode(2)
    }
}
