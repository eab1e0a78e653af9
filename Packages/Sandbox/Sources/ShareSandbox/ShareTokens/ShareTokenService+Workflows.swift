import ShareModels

extension ShareTokenService {
    /// How deep workflows may chain (a created token whose inbound event triggers a redemption…).
    static let maximumWorkflowDepth = 4

    /// Completes inquiry `id` of `organization` (raising `inquiry.completed`) and runs the
    /// workflows it triggers. 404 unless the inquiry is the caller's.
    public func completeInquiry(_ id: String, by organization: ShareTokenWorld.Organization) async throws {
        guard id.hasPrefix(SourceID.Kind.inquiry.rawValue), let record = try await store.record(id: id),
            record.organization == organization.id.rawValue
        else {
            throw JSONAPIFailure(status: 404, title: "Not found", detail: "no inquiry with this id belongs to you")
        }
        await runWorkflows(trigger: .inquiryCompleted, organization: organization.id.rawValue, subjectID: id, depth: 0)
    }

    /// One page of `organization`'s workflow runs and the cursor of the next page.
    public func workflowRuns(after: String?, limit: Int, by organization: ShareTokenWorld.Organization) async throws
        -> (runs: [StoredWorkflowRun], nextCursor: String?)
    {
        let page = try await store.workflowRuns(organization: organization.id.rawValue, after: after, limit: limit + 1)
        let runs = Array(page.prefix(limit))
        return (runs, page.count > limit ? runs.last?.id : nil)
    }

    /// Runs every workflow of `organization` triggered by `trigger` about `subjectID`, recording
    /// each run. A failing action is recorded as failed; it never fails the caller.
    func runWorkflows(trigger: EventName, organization: String, subjectID: String, depth: Int) async {
        guard depth < Self.maximumWorkflowDepth, let owner = try? OrganizationID(organization),
            let actor = world.organizations[owner]
        else { return }
        for workflow in world.workflows where workflow.organization == organization && workflow.trigger == trigger.rawValue {
            var outcome = "succeeded"
            var detail: String
            var shareTokenID: String?
            do {
                switch workflow.action {
                case ShareTokenSeed.Workflow.createShareToken:
                    let ttl = try workflow.expiresInSeconds.map { try ShareTokenTTL(seconds: $0) }
                    let attributes = ShareTokenCreateAttributes(
                        connectionID: try ConnectionID(workflow.connectionID ?? ""), sourceID: try SourceID(subjectID), ttl: ttl)
                    let token = try await create(attributes, by: actor, depth: depth + 1)
                    shareTokenID = token.id.rawValue
                    detail = "created share token \(token.id) on \(token.connectionID)"
                default:
                    let token = try await redeem(subjectID, ShareTokenRedeemAttributes(), by: actor)
                    shareTokenID = token.id.rawValue
                    detail = "redeemed share token \(token.id) into \(token.destinationID?.rawValue ?? "a new record")"
                }
            } catch let failure as JSONAPIFailure {
                outcome = "failed"
                detail = failure.detail
            } catch {
                outcome = "failed"
                detail = "\(error)"
            }
            let run = StoredWorkflowRun(
                id: "wfr_" + RandomToken.base64URL(byteCount: 12), workflowID: workflow.id, organization: organization,
                trigger: trigger.rawValue, subjectID: subjectID, outcome: outcome, detail: detail, shareTokenID: shareTokenID,
                createdAt: now)
            do {
                try await store.insertWorkflowRun(run)
            } catch {
                logger.error("cannot record a workflow run", metadata: ["workflow.id": "\(workflow.id)"])
            }
        }
    }
}
