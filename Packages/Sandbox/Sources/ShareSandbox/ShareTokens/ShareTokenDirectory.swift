import Crypto
import Foundation
import ShareModels

/// The validated share-token world of a running sandbox: its organizations (found by API key),
/// the connections between them, the records they start with and their workflows.
///
/// Built from a ``ShareTokenSeed``; every id is checked for its prefix (`org_`, `cxn_` or the older `conn_`,
/// `inq_`/`txn_`/`act_`/`ver_`) and every reference for its target, so a configuration mistake is reported at
/// start rather than as a confusing answer later.
///
/// The directory is the process's configuration, not stored: sandboxes sharing a database each
/// build their own, so they must be given the same organizations (docs/sandbox.md, "PostgreSQL").
///
/// Its description names only how many of each it holds: records are personal data and webhook
/// secrets are secrets, and the directory travels inside values that libraries log (a service
/// of a `ServiceGroup` is logged as `"\(service)"` at debug level).
public struct ShareTokenDirectory: Sendable, CustomStringConvertible, CustomReflectable {
    /// An organization as the sandbox uses it. Its API key is kept only as a SHA-256 digest.
    public struct Organization: Hashable, Sendable, CustomStringConvertible {
        public var id: OrganizationID
        /// Where its events are delivered, if anywhere.
        public var webhookURL: String?
        /// The keys of the `Persona-Signature` HMACs: the current secret, then the one being
        /// rotated out when there is one. Each delivery carries one signature per secret.
        var webhookSecrets: [String] = []

        public var description: String {
            "Organization(id: \(id)" + (webhookURL.map { ", webhook_url: \($0)" } ?? "") + ")"
        }
    }

    /// A connection: the source organization may create share tokens that only the destination
    /// may redeem.
    public struct Connection: Hashable, Sendable {
        public var id: ConnectionID
        public var source: OrganizationID
        public var destination: OrganizationID
    }

    public let organizations: [OrganizationID: Organization]
    public let connections: [ConnectionID: Connection]
    /// The records to store at start (kept when they already exist).
    public let records: [StoredRecord]
    public let workflows: [WorkflowRule]
    /// When the configured connections and records came to be (the sandbox's first start).
    public let createdAt: Date
    private let organizationsByKeyDigest: [Data: OrganizationID]

    /// Validates `seed`.
    public init(seed: ShareTokenSeed, createdAt: Date = Date(timeIntervalSince1970: 0)) throws(ShareTokenSeedError) {
        var organizations: [OrganizationID: Organization] = [:]
        var byKey: [Data: OrganizationID] = [:]
        for entry in seed.organizations {
            let id = try Self.identifier(OrganizationID.self, entry.id, "organizations")
            guard organizations[id] == nil else { throw ShareTokenSeedError("organizations: \(id) is listed twice") }
            guard !entry.apiKey.isEmpty else { throw ShareTokenSeedError("organizations: \(id) has an empty api_key") }
            let digest = Data(SHA256.hash(data: Data(entry.apiKey.utf8)))
            guard byKey[digest] == nil else { throw ShareTokenSeedError("organizations: \(id) shares its api_key with another organization") }
            if let url = entry.webhookURL {
                guard let parsed = URL(string: url), parsed.scheme == "http" || parsed.scheme == "https", parsed.host != nil else {
                    throw ShareTokenSeedError("organizations: \(id) has a webhook_url that is not an http(s) URL")
                }
                guard let secret = entry.webhookSecret, !secret.isEmpty else {
                    throw ShareTokenSeedError("organizations: \(id) has a webhook_url but no webhook_secret to sign with")
                }
            }
            if let previous = entry.previousWebhookSecret {
                guard entry.webhookSecret != nil, !previous.isEmpty, previous != entry.webhookSecret else {
                    throw ShareTokenSeedError(
                        "organizations: \(id) has a previous_webhook_secret that is empty, equal to webhook_secret or without a webhook_secret")
                }
            }
            byKey[digest] = id
            organizations[id] = Organization(
                id: id, webhookURL: entry.webhookURL,
                webhookSecrets: [entry.webhookSecret, entry.previousWebhookSecret].compactMap { $0 }.filter { !$0.isEmpty })
        }
        var connections: [ConnectionID: Connection] = [:]
        for entry in seed.connections {
            let id = try Self.identifier(ConnectionID.self, entry.id, "connections")
            guard connections[id] == nil else { throw ShareTokenSeedError("connections: \(id) is listed twice") }
            let source = try Self.identifier(OrganizationID.self, entry.source, "connections: \(id): source")
            let destination = try Self.identifier(OrganizationID.self, entry.destination, "connections: \(id): destination")
            for organization in [source, destination] where organizations[organization] == nil {
                throw ShareTokenSeedError("connections: \(id) names \(organization), which is not among the organizations")
            }
            guard source != destination else { throw ShareTokenSeedError("connections: \(id) connects \(source) to itself") }
            connections[id] = Connection(id: id, source: source, destination: destination)
        }
        var records: [StoredRecord] = []
        var recordIDs: Set<SourceID> = []
        for entry in seed.records {
            let id = try Self.identifier(SourceID.self, entry.id, "records")
            guard recordIDs.insert(id).inserted else { throw ShareTokenSeedError("records: \(id) is listed twice") }
            let owner = try Self.identifier(OrganizationID.self, entry.organization, "records: \(id): organization")
            guard organizations[owner] != nil else {
                throw ShareTokenSeedError("records: \(id) belongs to \(owner), which is not among the organizations")
            }
            records.append(StoredRecord(id: id, organization: owner, attributes: entry.attributes, createdAt: createdAt))
        }
        var workflowIDs: Set<String> = []
        for rule in seed.workflows {
            guard !rule.id.isEmpty, workflowIDs.insert(rule.id).inserted else {
                throw ShareTokenSeedError("workflows: every workflow needs a unique, non-empty id (\"\(rule.id.prefix(64))\")")
            }
            let owner = try Self.identifier(OrganizationID.self, rule.organization, "workflows: \(rule.id): organization")
            guard organizations[owner] != nil else {
                throw ShareTokenSeedError("workflows: \(rule.id) belongs to \(owner), which is not among the organizations")
            }
            guard rule.action.acceptedTriggers.contains(rule.trigger) else {
                throw ShareTokenSeedError(
                    "workflows: \(rule.id): this action runs on "
                        + rule.action.acceptedTriggers.map(\.rawValue).joined(separator: " or ") + ", not on \(rule.trigger)")
            }
        }
        self.organizations = organizations
        self.organizationsByKeyDigest = byKey
        self.connections = connections
        self.records = records
        self.workflows = seed.workflows
        self.createdAt = createdAt
    }

    public var description: String {
        "ShareTokenDirectory(organizations: \(organizations.count), connections: \(connections.count), "
            + "records: \(records.count), workflows: \(workflows.count))"
    }

    public var customMirror: Mirror { Mirror(self, children: ["summary": description]) }

    /// The organization whose API key is `apiKey`, or `nil`.
    ///
    /// The key is hashed before the lookup, so the time taken does not depend on how much of a
    /// real key a guess shares.
    public func organization(apiKey: String) -> Organization? {
        organizationsByKeyDigest[Data(SHA256.hash(data: Data(apiKey.utf8)))].flatMap { organizations[$0] }
    }

    /// The workflows of `organization` triggered by `name`.
    func workflows(of organization: OrganizationID, triggeredBy name: EventName) -> [WorkflowRule] {
        workflows.filter { $0.organization == organization.rawValue && $0.trigger == name }
    }

    private static func identifier<ID: Identifier>(_ type: ID.Type, _ value: String, _ place: String) throws(ShareTokenSeedError) -> ID {
        do {
            return try ID(value)
        } catch {
            throw ShareTokenSeedError("\(place): \(error)")
        }
    }
}
