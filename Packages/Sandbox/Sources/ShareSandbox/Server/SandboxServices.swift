import Logging

/// The parts of a running sandbox, wired together from a ``SandboxConfiguration``: the store
/// (opened, with the clients registered), the OAuth rules, the client authenticator, the
/// share-token rules, the webhook delivery service and the retention task.
public struct SandboxServices: Sendable {
    public let configuration: SandboxConfiguration
    public let store: any SandboxStore
    public let authority: OAuthAuthority
    public let authenticator: ClientAuthenticator
    /// The share-token rules, over the same store.
    public let shareTokens: ShareTokenAuthority
    /// The background delivery of events to webhooks; run it in the server's service group.
    public let webhookDelivery: WebhookDeliveryService
    /// The per-API-key request limit of the share-token API.
    public let rateLimiter: APIRateLimiter
    /// The answers saved for `Idempotency-Key`s: in the SQLite store with `--data`, else in memory.
    public let idempotency: any IdempotencyStore
    /// The sandbox's time and the faults in force (the `/sandbox/` endpoints).
    public let control: SandboxControlPlane
    /// The background purge of what finished more than ``SandboxConfiguration/retention`` ago,
    /// reading the sandbox's clock; `nil` when the retention is off. Run it in the server's
    /// service group.
    public let retention: SandboxRetentionTask?

    /// Opens the configured store and registers the configured (or demo) clients in it.
    public init(configuration: SandboxConfiguration) async throws {
        let store: any SandboxStore
        switch configuration.storage {
        case .memory:
            store = InMemorySandboxStore()
        case .sqlite(let path):
            store = try SQLiteSandboxStore(path: path)
        }
        try await self.init(configuration: configuration, store: store)
    }

    /// Uses `store` as it is given, registering the configured (or demo) clients in it.
    ///
    /// Every rule reads the time from the returned services' ``configuration``, whose clock is
    /// `configuration.clock` moved forward by the control plane's offset (``SandboxTimeline``),
    /// as the store keeps it when the control plane is on; the faults the store holds are in
    /// force too.
    public init(configuration base: SandboxConfiguration, store: any SandboxStore) async throws {
        let timeline = SandboxTimeline(base: base.clock)
        var configuration = base
        configuration.clock = timeline.clock
        let control = SandboxControlPlane(timeline: timeline, store: store)
        if base.controlPlane { try await control.refresh() }
        self.control = control
        self.configuration = configuration
        self.store = store
        self.authority = OAuthAuthority(store: store, configuration: configuration)
        self.authenticator = ClientAuthenticator(store: store)
        for client in configuration.effectiveClients { try await authority.register(client) }
        let directory = try ShareTokenDirectory(seed: configuration.effectiveShareTokenSeed, createdAt: configuration.clock.now())
        // Stored events wake the delivery loop: they go out at once, not at its next poll.
        let deliveryWakeup = BackgroundLoopWakeup()
        self.shareTokens = ShareTokenAuthority(
            store: store, directory: directory, clock: configuration.clock, logger: configuration.logger,
            redemptionDelay: configuration.redemptionDelay, whenEventsStored: { deliveryWakeup.signal() })
        self.webhookDelivery = WebhookDeliveryService(
            store: store, directory: directory, clock: configuration.clock, policy: configuration.webhookDelivery,
            logger: configuration.logger, recoveringWorkflowsWith: shareTokens, wakeup: deliveryWakeup)
        self.rateLimiter = APIRateLimiter(limit: configuration.apiRateLimit, clock: configuration.clock)
        self.idempotency = (store as? any IdempotencyStore) ?? InMemoryIdempotencyStore()
        self.retention = configuration.retention.map { retention in
            SandboxRetentionTask(store: store, retention: retention, clock: configuration.clock, logger: configuration.logger)
        }
        try await shareTokens.seed()
    }
}
