import ShareModels

/// A workflow run on the wire: `{"type":"workflow-run","id":"wfr_…","attributes":{…}}`.
struct WorkflowRunResource: Encodable, Sendable {
    struct Attributes: Encodable, Sendable {
        var workflowID: String
        var triggerEventID: EventID
        var triggerName: EventName
        var status: StoredWorkflowRun.Outcome
        var error: String?
        var shareTokenID: ShareTokenID?
        var createdAt: Timestamp

        enum CodingKeys: String, CodingKey {
            case workflowID = "workflow-id"
            case triggerEventID = "trigger-event-id"
            case triggerName = "trigger-name"
            case status, error
            case shareTokenID = "share-token-id"
            case createdAt = "created-at"
        }
    }

    var type = "workflow-run"
    var id: WorkflowRunID
    var attributes: Attributes

    init(_ run: StoredWorkflowRun) {
        id = run.id
        attributes = Attributes(
            workflowID: run.workflowID, triggerEventID: run.triggerEventID, triggerName: run.triggerName, status: run.outcome,
            error: run.error, shareTokenID: run.shareTokenID, createdAt: Timestamp(run.createdAt))
    }
}
