/// The answer of `POST /sandbox/events/{id}/redeliver` and `POST /sandbox/webhooks/test`: what
/// was sent where, and how the receiver answered.
struct WebhookSendAnswer: Encodable, Sendable {
    var eventID: String
    var name: String
    var organization: String
    var url: String
    /// Whether the receiver took it (200, 201, 202 or 204).
    var delivered: Bool
    /// The receiver's status; absent when it did not answer in time.
    var status: Int?
    /// `HTTP <status>` or the transport error kind, when not delivered.
    var error: String?
    /// The `t=` of the `Persona-Signature` header (unix seconds, the sandbox's time).
    var signedAt: Int

    init(event: StoredEvent, url: String, outcome: WebhookSender.Outcome) {
        eventID = event.id.rawValue
        name = event.name.rawValue
        organization = event.organization.rawValue
        self.url = url
        delivered = outcome.delivered
        status = outcome.status
        error = outcome.failure
        signedAt = outcome.signedAt
    }

    enum CodingKeys: String, CodingKey {
        case name, organization, url, delivered, status, error
        case eventID = "event_id"
        case signedAt = "signed_at"
    }
}
