import Foundation
import ShareModels

/// One run of a ``WorkflowRule``: what triggered it and how it ended.
public struct StoredWorkflowRun: Hashable, Sendable {
    /// How a run ended.
    public enum Outcome: String, Hashable, Sendable, Codable {
        case succeeded
        case failed
    }

    public var id: WorkflowRunID
    public var organization: OrganizationID
    /// The ``WorkflowRule/id`` of the rule that ran.
    public var workflowID: String
    public var triggerEventID: EventID
    public var triggerName: EventName
    public var outcome: Outcome
    /// Why it failed, for a failed run.
    public var error: String?
    /// The share token the action created or redeemed.
    public var shareTokenID: ShareTokenID?
    public var createdAt: Date

    public init(
        id: WorkflowRunID, organization: OrganizationID, workflowID: String, triggerEventID: EventID, triggerName: EventName,
        outcome: Outcome, error: String? = nil, shareTokenID: ShareTokenID? = nil, createdAt: Date
    ) {
        self.id = id
        self.organization = organization
        self.workflowID = workflowID
        self.triggerEventID = triggerEventID
        self.triggerName = triggerName
        self.outcome = outcome
        self.error = error
        self.shareTokenID = shareTokenID
        self.createdAt = createdAt
    }
}
