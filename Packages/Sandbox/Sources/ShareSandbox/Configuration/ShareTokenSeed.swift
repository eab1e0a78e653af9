/// The share-token world a sandbox starts with: organizations, the connections between them and
/// the records they own. Read from the `organizations`, `connections` and `records` keys of
/// `share-sandbox --config FILE`, and the `workflows` that act on their events.
public struct ShareTokenSeed: Hashable, Sendable, Codable {
    /// An organization, authenticated by `Authorization: Bearer <apiKey>`.
    public struct Organization: Hashable, Sendable, Codable, CustomStringConvertible, CustomReflectable {
        public var id: String
        public var apiKey: String
        public var webhookURL: String?
        public var webhookSecret: String?
        /// The secret being rotated out (`previous_webhook_secret`): while it is set, every
        /// delivery is signed with both secrets, as Persona does during a rotation
        /// (https://docs.withpersona.com/webhooks-best-practices).
        public var previousWebhookSecret: String?

        public init(
            id: String, apiKey: String, webhookURL: String? = nil, webhookSecret: String? = nil, previousWebhookSecret: String? = nil
        ) {
            self.id = id
            self.apiKey = apiKey
            self.webhookURL = webhookURL
            self.webhookSecret = webhookSecret
            self.previousWebhookSecret = previousWebhookSecret
        }

        enum CodingKeys: String, CodingKey {
            case id
            case apiKey = "api_key"
            case webhookURL = "webhook_url"
            case webhookSecret = "webhook_secret"
            case previousWebhookSecret = "previous_webhook_secret"
        }

        public var description: String {
            "Organization(id: \(id), api_key: <redacted>" + (webhookURL.map { ", webhook_url: \($0)" } ?? "") + ")"
        }

        /// `dump` shows the same as ``description``: no API key, no webhook secret.
        public var customMirror: Mirror {
            Mirror(self, children: ["id": id, "api_key": "<redacted>", "webhook_url": webhookURL as Any])
        }
    }

    /// A connection: the one destination organization that may redeem the source's share tokens.
    public struct Connection: Hashable, Sendable, Codable {
        public var id: String
        public var source: String
        public var destination: String

        public init(id: String, source: String, destination: String) {
            self.id = id
            self.source = source
            self.destination = destination
        }
    }

    /// A record (`inq_…`, `txn_…`, `act_…`) owned by an organization. Its attributes are
    /// personal data and never appear in its description or mirror.
    public struct Record: Hashable, Sendable, Codable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
        public var id: String
        public var organization: String
        public var attributes: [String: AttributeValue]

        public init(id: String, organization: String, attributes: [String: AttributeValue] = [:]) {
            self.id = id
            self.organization = organization
            self.attributes = attributes
        }

        public var description: String {
            "Record(id: \(id), organization: \(organization), attributes: <\(attributes.count) redacted>)"
        }

        public var debugDescription: String { description }

        public var customMirror: Mirror {
            Mirror(self, children: ["id": id, "organization": organization, "attributes": "<\(attributes.count) redacted>"])
        }
    }

    public var organizations: [Organization]
    public var connections: [Connection]
    public var records: [Record]
    /// Rules that act on events (the `workflows` key).
    public var workflows: [WorkflowRule]

    public init(
        organizations: [Organization] = [], connections: [Connection] = [], records: [Record] = [],
        workflows: [WorkflowRule] = []
    ) {
        self.organizations = organizations
        self.connections = connections
        self.records = records
        self.workflows = workflows
    }
}
