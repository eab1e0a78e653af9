import ShareModels

/// A workflow run as `GET /api/v1/workflow-runs` lists it:
/// `{"type":"workflow-run","id":"wfr_…","attributes":{"workflow-id","trigger","subject-id","outcome","detail","share-token-id"?,"created-at"}}`.
struct WorkflowRunResource: Codable, Hashable, Sendable {
    struct Attributes: Codable, Hashable, Sendable {
        var workflowID: String
        var trigger: String
        var subjectID: String
        var outcome: String
        var detail: String
        var shareTokenID: String?
        var createdAt: Timestamp

        enum CodingKeys: String, CodingKey {
            case workflowID = "workflow-id"
            case trigger
            case subjectID = "subject-id"
            case outcome, detail
            case shareTokenID = "share-token-id"
            case createdAt = "created-at"
        }
    }

    var type = "workflow-run"
    var id: String
    var attributes: Attributes

    init(_ run: StoredWorkflowRun) {
        id = run.id
        attributes = Attributes(
            workflowID: run.workflowID, trigger: run.trigger, subjectID: run.subjectID, outcome: run.outcome, detail: run.detail,
            shareTokenID: run.shareTokenID, createdAt: ShareTokenService.timestamp(run.createdAt))
    }
}

/// The answer to `POST /api/v1/inquiries/{id}/complete`.
struct InquiryResource: Codable, Hashable, Sendable {
    struct Attributes: Codable, Hashable, Sendable { var status: String }
    var type = "inquiry"
    var id: String
    var attributes: Attributes
}
