/// A recorded run of a workflow: what triggered it and how its action ended.
public struct StoredWorkflowRun: Hashable, Sendable {
    public var id: String
    public var workflowID: String
    public var organization: String
    /// The triggering event's name, e.g. `inquiry.completed`.
    public var trigger: String
    /// What the trigger was about: an inquiry or share token id.
    public var subjectID: String
    /// `succeeded` or `failed`.
    public var outcome: String
    /// Why it failed, or what it did.
    public var detail: String
    /// The share token the action created or redeemed, when it got that far.
    public var shareTokenID: String?
    /// Milliseconds since 1970.
    public var createdAt: Int

    public init(
        id: String, workflowID: String, organization: String, trigger: String, subjectID: String, outcome: String, detail: String,
        shareTokenID: String?, createdAt: Int
    ) {
        self.id = id
        self.workflowID = workflowID
        self.organization = organization
        self.trigger = trigger
        self.subjectID = subjectID
        self.outcome = outcome
        self.detail = detail
        self.shareTokenID = shareTokenID
        self.createdAt = createdAt
    }
}
