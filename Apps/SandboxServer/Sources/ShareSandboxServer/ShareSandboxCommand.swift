import ArgumentParser
import Foundation
import Logging
import PartnerExperian
import PartnerFannieMae
import PartnerFreddieMac
import ShareSandbox
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

    @Option(help: ArgumentHelp("Keep state in this SQLite database instead of in memory.", valueName: "PATH"))
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

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    public var logLevel: String = "info"

    public init() {}

    public func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        if let accessTokenTTL, accessTokenTTL <= 0 { throw ValidationError("--access-token-ttl must be a positive number of seconds") }
        if let refreshTokenTTL, refreshTokenTTL <= 0 { throw ValidationError("--refresh-token-ttl must be a positive number of seconds") }
        for text in accessTokenLifetime where AccessTokenLifetimes.parse(text) == nil {
            throw ValidationError(
                "--access-token-lifetime expects KEY=SECONDS with KEY one of \(AccessTokenLifetimes.keys.joined(separator: ", "))")
        }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
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
            storage: data.map { .sqlite(path: $0) } ?? .memory,
            shareTokenSeed: file?.shareTokenSeed ?? ShareTokenSeed(),
            logger: logger
        )
        if let ttl = accessTokenTTL ?? file?.accessTokenTTL { configuration.accessTokenTTL = ttl }
        if let ttl = refreshTokenTTL ?? file?.refreshTokenTTL { configuration.refreshTokenTTL = ttl }
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

    public func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "share-sandbox")
        let configuration: SandboxConfiguration
        do {
            configuration = try makeConfiguration(partners: Self.partnerRegistry(), logger: logger)
        } catch let error as SandboxConfigurationError {
            throw ValidationError(error.description)
        }
        SandboxAnnouncement.clients(configuration).forEach(SandboxAnnouncement.say)
        let app = try await SandboxServer.buildApplication(configuration: configuration) { channel in
            let port = channel.localAddress?.port ?? configuration.port
            SandboxAnnouncement.say(SandboxAnnouncement.ready(host: configuration.host, port: port))
        }
        try await app.runService()
        SandboxAnnouncement.say("ShareKit sandbox stopped")
    }
}
