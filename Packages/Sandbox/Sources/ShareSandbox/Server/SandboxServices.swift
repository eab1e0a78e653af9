import Logging

/// The parts of a running sandbox, wired together from a ``SandboxConfiguration``: the store
/// (opened, with the clients registered and the configured records written), the OAuth rules,
/// the client authenticator, the share-token rules and the webhook deliverer.
public struct SandboxServices: Sendable {
    public let configuration: SandboxConfiguration
    public let store: any SandboxStore
    public let authority: OAuthAuthority
    public let authenticator: ClientAuthenticator
    public let shareTokens: ShareTokenService
    public let webhooks: WebhookDeliverer

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
    public init(configuration: SandboxConfiguration, store: any SandboxStore) async throws {
        let world = try ShareTokenWorld(seed: configuration.effectiveShareTokenSeed)
        self.configuration = configuration
        self.store = store
        self.authority = OAuthAuthority(store: store, configuration: configuration)
        self.authenticator = ClientAuthenticator(store: store)
        self.shareTokens = ShareTokenService(world: world, store: store, configuration: configuration)
        self.webhooks = WebhookDeliverer(
            store: store, world: world, clock: configuration.clock, policy: configuration.webhookRetryPolicy, logger: configuration.logger)
        for client in configuration.effectiveClients { try await authority.register(client) }
        try await shareTokens.seedRecords(configuration.effectiveShareTokenSeed)
    }
}
