import ShareModels

/// The organizations and connections of the share-token API, checked and indexed once from a
/// ``ShareTokenSeed``. API keys are kept as digests; webhook secrets stay in memory only (they
/// sign deliveries, so they cannot be hashed) and never reach the store.
public struct ShareTokenWorld: Sendable {
    /// An organization as the API sees it.
    public struct Organization: Sendable, CustomStringConvertible {
        public var id: OrganizationID
        public var apiKeyDigest: TokenDigest
        public var webhookURL: String?
        public var webhookSecret: String?

        public var description: String {
            "Organization(id: \(id)" + (webhookURL.map { ", webhook_url: \($0), webhook_secret: <redacted>" } ?? "") + ")"
        }
    }

    /// A connection: the one destination that may redeem the source's share tokens.
    public struct Connection: Sendable {
        public var id: ConnectionID
        public var source: OrganizationID
        public var destination: OrganizationID
    }

    public let organizations: [OrganizationID: Organization]
    public let connections: [ConnectionID: Connection]
    private let byAPIKey: [TokenDigest: OrganizationID]

    /// Checks `seed`: valid ids, unique ids and API keys, connections between known organizations,
    /// records owned by known organizations.
    public init(seed: ShareTokenSeed) throws(SandboxConfigurationError) {
        var organizations: [OrganizationID: Organization] = [:]
        var byAPIKey: [TokenDigest: OrganizationID] = [:]
        for entry in seed.organizations {
            let id = try Self.identifier(OrganizationID.self, entry.id, "organizations")
            guard !entry.apiKey.isEmpty else { throw SandboxConfigurationError("organization \(id): api_key must not be empty") }
            let digest = TokenDigest(of: entry.apiKey)
            guard organizations[id] == nil else { throw SandboxConfigurationError("organization \(id) is listed twice") }
            guard byAPIKey[digest] == nil else { throw SandboxConfigurationError("organization \(id) reuses another organization's api_key") }
            if entry.webhookURL != nil, (entry.webhookSecret ?? "").isEmpty {
                throw SandboxConfigurationError("organization \(id): a webhook_url needs a webhook_secret")
            }
            organizations[id] = Organization(id: id, apiKeyDigest: digest, webhookURL: entry.webhookURL, webhookSecret: entry.webhookSecret)
            byAPIKey[digest] = id
        }
        var connections: [ConnectionID: Connection] = [:]
        for entry in seed.connections {
            let id = try Self.identifier(ConnectionID.self, entry.id, "connections")
            let source = try Self.identifier(OrganizationID.self, entry.source, "connection \(id) source")
            let destination = try Self.identifier(OrganizationID.self, entry.destination, "connection \(id) destination")
            guard organizations[source] != nil, organizations[destination] != nil else {
                throw SandboxConfigurationError("connection \(id) names an organization that is not configured")
            }
            guard source != destination else { throw SandboxConfigurationError("connection \(id) connects \(source) to itself") }
            guard connections[id] == nil else { throw SandboxConfigurationError("connection \(id) is listed twice") }
            connections[id] = Connection(id: id, source: source, destination: destination)
        }
        for record in seed.records {
            let id = try Self.identifier(SourceID.self, record.id, "records")
            let owner = try Self.identifier(OrganizationID.self, record.organization, "record \(id) organization")
            guard organizations[owner] != nil else {
                throw SandboxConfigurationError("record \(id) belongs to \(owner), which is not configured")
            }
        }
        self.organizations = organizations
        self.connections = connections
        self.byAPIKey = byAPIKey
    }

    /// The organization whose API key is `apiKey`, or `nil`.
    public func organization(apiKey: String) -> Organization? {
        byAPIKey[TokenDigest(of: apiKey)].flatMap { organizations[$0] }
    }

    private static func identifier<ID: Identifier>(_ type: ID.Type, _ value: String, _ place: String) throws(SandboxConfigurationError) -> ID {
        do {
            return try ID(value)
        } catch {
            throw SandboxConfigurationError("\(place): \(error.description)")
        }
    }
}
