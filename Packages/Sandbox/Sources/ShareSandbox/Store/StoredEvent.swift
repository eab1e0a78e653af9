import Foundation
import ShareModels

/// An event of one organization and the state of its webhook delivery.
public struct StoredEvent: Hashable, Sendable {
    /// Where the delivery to the organization's `webhook_url` stands.
    public enum DeliveryState: String, Hashable, Sendable {
        /// The organization has no webhook: nothing to deliver.
        case notRequested = "not-requested"
        /// Waiting for its next attempt.
        case pending
        /// The webhook answered 2xx.
        case delivered
        /// Every attempt failed; no more will be made.
        case failed
    }

    /// The delivery's progress.
    public struct Delivery: Hashable, Sendable {
        public var state: DeliveryState
        /// Attempts made so far.
        public var attempts: Int
        /// When the next attempt is due (for ``DeliveryState/pending``).
        public var nextAttemptAt: Date?
        /// Why the last attempt failed: a status or a transport error kind, never a body.
        public var lastError: String?

        public init(state: DeliveryState, attempts: Int = 0, nextAttemptAt: Date? = nil, lastError: String? = nil) {
            self.state = state
            self.attempts = attempts
            self.nextAttemptAt = nextAttemptAt
            self.lastError = lastError
        }
    }

    public var id: EventID
    public var organization: OrganizationID
    public var name: EventName
    public var createdAt: Date
    /// The JSON of the event resource, `{"type":"event","id":…,"attributes":{…}}`, exactly as it
    /// is listed and delivered (inside `{"data": …}`).
    public var resource: [UInt8]
    public var delivery: Delivery

    public init(id: EventID, organization: OrganizationID, name: EventName, createdAt: Date, resource: [UInt8], delivery: Delivery) {
        self.id = id
        self.organization = organization
        self.name = name
        self.createdAt = createdAt
        self.resource = resource
        self.delivery = delivery
    }

    /// When the event counts as finished, for retention (``SandboxRetentionStore``): its creation,
    /// once its delivery has ended (delivered or failed) or when none was requested; `nil` while
    /// a delivery is pending.
    public var finishedAt: Date? { delivery.state == .pending ? nil : createdAt }

    /// The webhook body: `{"data":<resource>}`.
    public var webhookBody: [UInt8] { Array(#"{"data":"#.utf8) + resource + [UInt8(ascii: "}")] }
}
