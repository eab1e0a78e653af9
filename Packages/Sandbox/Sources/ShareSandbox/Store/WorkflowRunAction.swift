import ShareModels

/// What a workflow run does to the share tokens, stored in one atomic step with its
/// ``StoredWorkflowRun`` (``ShareTokenStore/recordWorkflowRun(_:action:)``).
public enum WorkflowRunAction: Hashable, Sendable {
    /// A new share token and its events, as ``ShareTokenStore/insertShareToken(_:events:)`` stores them.
    case insertShareToken(StoredShareToken, events: [StoredEvent])
    /// A share token's change, with its events, provided its stored status is still `expecting`,
    /// as ``ShareTokenStore/replaceShareToken(_:expecting:record:events:)`` stores it (without a record).
    case replaceShareToken(StoredShareToken, expecting: ShareTokenStatus, events: [StoredEvent])
}
