import Logging
import SharePartners

/// Everything a sandbox needs to run: where to listen, whom to accept, which partners exist,
/// how long tokens live, where state is kept and which clock tells the time.
///
/// ```swift
/// let partners = try PartnerRegistry([Experian(), FannieMae(), FreddieMac()])
/// let running = try await SandboxServer.start(configuration: .init(port: 0, partners: partners))
/// print(running.url)            // http://127.0.0.1:54021
/// try await running.shutdown()
/// ```
public struct SandboxConfiguration: Sendable {
    /// Where state lives.
    public enum Storage: Hashable, Sendable {
        /// In memory; lost when the process ends.
        case memory
        /// A SQLite database at this path (WAL mode, every write durable before it is answered).
        case sqlite(path: String)
    }

    /// The address to bind, `127.0.0.1` by default.
    public var host: String
    /// The port to bind; `0` picks a free one (see ``RunningSandbox/url``).
    public var port: Int
    /// The clients the sandbox accepts. When empty, the demo set of ``SandboxDemo`` is used.
    public var clients: [ClientRegistration]
    /// The partners whose audience URNs are accepted.
    public var partners: PartnerRegistry
    /// Lifetime of access tokens in seconds, 900 by default, for grants without an entry in
    /// ``accessTokenLifetimes``.
    public var accessTokenTTL: Int
    /// Lifetimes of access tokens per grant; Plaid's documented ones by default.
    public var accessTokenLifetimes: AccessTokenLifetimes
    /// Lifetime of refresh tokens in seconds, 30 days by default.
    public var refreshTokenTTL: Int
    /// The `iss` of introspection answers.
    public var issuer: String
    /// The largest request body accepted; larger ones get 413. 64 KiB by default.
    public var maximumBodySize: Int
    /// Where state lives.
    public var storage: Storage
    /// The connection cap and the read and idle timeouts of the server (``ConnectionLimits``).
    public var connectionLimits: ConnectionLimits
    /// Where the time comes from.
    public var clock: SandboxClock
    /// Share-token organizations, connections, records and workflows (from a configuration
    /// file). When it names no organization, the demo set of ``ShareTokenDemo`` is used.
    public var shareTokenSeed: ShareTokenSeed
    /// How events are delivered to webhooks.
    public var webhookDelivery: WebhookDeliveryPolicy
    /// Requests per minute each API key may make to the share-token API (Persona's default, 300).
    public var apiRateLimit: Int = APIRateLimiter.defaultLimit
    /// The logger of the sandbox; it never receives a secret or a token.
    public var logger: Logger
    /// How long a share token stays `pending` after its redemption is requested, before the
    /// import finishes (``ShareTokenAuthority/redemptionDelay``).
    public var redemptionDelay: Duration = ShareTokenAuthority.defaultRedemptionDelay
    /// Whether the control plane is served: the `/sandbox/` endpoints that move the sandbox's
    /// clock, inject faults, redeliver webhooks and reset the state (docs/sandbox.md). On by
    /// default; when off, those paths answer 404 like any unknown path, and the clock offset a
    /// `--data` file holds is not applied.
    public var controlPlane: Bool = true
    /// How long what has finished is kept before it is purged (``SandboxRetention``): a day by
    /// default; `nil` keeps everything.
    public var retention: SandboxRetention? = SandboxRetention()

    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        clients: [ClientRegistration] = [],
        partners: PartnerRegistry = .empty,
        accessTokenTTL: Int = 900,
        accessTokenLifetimes: AccessTokenLifetimes = .plaidDefaults,
        refreshTokenTTL: Int = 30 * 24 * 3600,
        issuer: String = "urn:sharekit:sandbox",
        maximumBodySize: Int = 64 * 1024,
        storage: Storage = .memory,
        connectionLimits: ConnectionLimits = ConnectionLimits(),
        clock: SandboxClock = .system,
        shareTokenSeed: ShareTokenSeed = ShareTokenSeed(),
        webhookDelivery: WebhookDeliveryPolicy = WebhookDeliveryPolicy(),
        logger: Logger = Logger(label: "sharekit.sandbox")
    ) {
        self.host = host
        self.port = port
        self.clients = clients
        self.partners = partners
        self.accessTokenTTL = accessTokenTTL
        self.accessTokenLifetimes = accessTokenLifetimes
        self.refreshTokenTTL = refreshTokenTTL
        self.issuer = issuer
        self.maximumBodySize = maximumBodySize
        self.storage = storage
        self.connectionLimits = connectionLimits
        self.clock = clock
        self.shareTokenSeed = shareTokenSeed
        self.webhookDelivery = webhookDelivery
        self.logger = logger
    }

    /// Whether no client was configured, so the demo set is seeded.
    public var usesDemoClients: Bool { clients.isEmpty }

    /// The clients actually registered: ``clients``, or the demo set when that is empty.
    public var effectiveClients: [ClientRegistration] {
        usesDemoClients ? SandboxDemo.clients(partners: partners) : clients
    }

    /// Whether no share-token organization was configured, so the demo set is seeded.
    public var usesDemoOrganizations: Bool { shareTokenSeed.organizations.isEmpty }

    /// The share-token world actually used: ``shareTokenSeed``, or the demo set when it names
    /// no organization.
    public var effectiveShareTokenSeed: ShareTokenSeed {
        usesDemoOrganizations ? ShareTokenDemo.seed : shareTokenSeed
    }
}
