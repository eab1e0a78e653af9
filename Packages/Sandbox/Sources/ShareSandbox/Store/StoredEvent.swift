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
        /// When the first attempt was made (the sandbox's time), sent with every attempt as
        /// `Persona-Webhook-First-Attempted-At`; `nil` before the first attempt, and for rows
        /// stored before it was kept.
        public var firstAttemptAt: Date?

        public init(
            state: DeliveryState, attempts: Int = 0, nextAttemptAt: Date? = nil, lastError: String? = nil, firstAttemptAt: Date? = nil
        ) {
            self.state = state
            self.attempts = attempts
            self.nextAttemptAt = nextAttemptAt
            self.lastError = lastError
            self.firstAttemptAt = firstAttemptAt
        }
    }

    /// The mark of an event whose workflows have not all run yet
    /// (``ShareTokenStore/eventsWithPendingWorkflows(claimableAt:limit:)``): stored with the event
    /// when it triggers at least one workflow, cleared once every one of them has run.
    public struct PendingWorkflows: Hashable, Sendable {
        /// How deep in a chain of workflows the event was raised: 0 for a request, one more for
        /// each workflow action in between.
        public var depth: Int
        /// Until when (wall time) a process holds the claim to run the workflows; `nil` when
        /// none does. A claim left by a process that stopped lapses then.
        public var claimedUntil: Date?

        public init(depth: Int, claimedUntil: Date? = nil) {
            self.depth = depth
            self.claimedUntil = claimedUntil
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
    /// Set while the workflows the event triggers have not all run; `nil` for an event that
    /// triggers none, and once they have.
    public var pendingWorkflows: PendingWorkflows?

    public init(
        id: EventID, organization: OrganizationID, name: EventName, createdAt: Date, resource: [UInt8], delivery: Delivery,
        pendingWorkflows: PendingWorkflows? = nil
    ) {
        self.id = id
        self.organization = organization
        self.name = name
        self.createdAt = createdAt
        self.resource = resource
        self.delivery = delivery
        self.pendingWorkflows = pendingWorkflows
    }

    /// When the event counts as finished, for retention (``SandboxRetentionStore``): its creation,
    /// once its delivery has ended (delivered or failed) or when none was requested, and its
    /// workflows have all run; `nil` while a delivery or a workflow is pending.
    public var finishedAt: Date? { delivery.state == .pending || pendingWorkflows != nil ? nil : createdAt }

    /// The webhook body: `{"data":<resource>}`.
    public var webhookBody: [UInt8] { Array(#"{"data":"#.utf8) + resource + [UInt8(ascii: "}")] }
}
