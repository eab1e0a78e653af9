/// What ``ShareTokenStore/recordWorkflowRun(_:action:)`` did.
public enum WorkflowRunRecording: Hashable, Sendable {
    /// The run and its action are stored.
    case recorded
    /// A run of the same workflow for the same trigger event is stored already; nothing changed,
    /// and the action was not applied again.
    case alreadyRan
    /// The action's share token no longer had the expected status; nothing changed.
    case statusChanged
}
