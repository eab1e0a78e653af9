public import ShareModels

extension SandboxControl {
    /// What the sandbox sent where, and how the receiver answered: the answer of
    /// ``SandboxControl/redeliverEvent(id:)`` and ``SandboxControl/sendTestWebhook(organization:name:)``.
    public struct WebhookDelivery: Hashable, Sendable, Codable {
        /// The event sent (`evt_…`).
        public var eventID: EventID
        /// The event's name, e.g. `connect/share-token.outbound-redeemed`.
        public var name: String
        /// The organization whose webhook endpoint received it.
        public var organization: OrganizationID
        /// The webhook endpoint.
        public var url: String
        /// Whether the receiver took it (200, 201, 202 or 204).
        public var delivered: Bool
        /// The receiver's status; `nil` when it did not answer in time.
        public var status: Int?
        /// `HTTP <status>` or the transport failure, when not delivered.
        public var error: String?
        /// The `t=` of the `Persona-Signature` header: unix seconds of the sandbox's time.
        public var signedAt: Int

        public init(
            eventID: EventID, name: String, organization: OrganizationID, url: String, delivered: Bool, status: Int? = nil,
            error: String? = nil, signedAt: Int
        ) {
            self.eventID = eventID
            self.name = name
            self.organization = organization
            self.url = url
            self.delivered = delivered
            self.status = status
            self.error = error
            self.signedAt = signedAt
        }

        enum CodingKeys: String, CodingKey {
            case name, organization, url, delivered, status, error
            case eventID = "event_id"
            case signedAt = "signed_at"
        }
    }
}
