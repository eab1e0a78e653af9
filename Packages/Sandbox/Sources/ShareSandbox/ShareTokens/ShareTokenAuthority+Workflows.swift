import Foundation
import ShareModels
import ShareWire

// Workflows: each (workflow, triggering event) runs once, even across a process that stops.
extension ShareTokenAuthority {
    /// What one attempt at a workflow for an event came to.
    enum WorkflowAttempt {
        /// The run (and its action, if any) is stored; `raised` are the events its action stored.
        case ran(raised: [EmittedEvent])
        /// A run of this workflow for this event was stored before: nothing was done again.
        case alreadyRan
        /// The store failed: the event stays pending and is tried again after its claim lapses.
        case notStored
    }

    /// Up to how many pending events one pass of ``recoverPendingWorkflows()`` reads at a time.
    static let recoveryPageSize = 64

    /// When a claim on pending workflows made at `now` (wall time) lapses.
    func workflowClaimEnd(from now: Date) -> Date {
        now.addingTimeInterval(WebhookDeliveryPolicy.seconds(workflowClaimLease))
    }

    /// Runs the workflows of the events a process left pending (it stopped between storing an
    /// event and running all of its workflows), once their claim has lapsed: claims each event
    /// (``ShareTokenStore/claimWorkflows(of:at:until:)``), so that of processes sharing the
    /// store one runs it, runs the workflows that have no run yet, and clears the mark. Called
    /// at start (``seed()``) and on every poll of the ``WebhookDeliveryService``. Never throws:
    /// a store failure is logged and the events stay pending for the next pass.
    public func recoverPendingWorkflows() async {
        do {
            while true {
                let now = wallClock.now()
                let pending = try await store.eventsWithPendingWorkflows(claimableAt: now, limit: Self.recoveryPageSize)
                for event in pending {
                    guard try await store.claimWorkflows(of: event.id, at: now, until: workflowClaimEnd(from: now)) else { continue }
                    logger.info("recovering pending workflows", metadata: ["event.id": "\(event.id)"])
                    let emitted = EmittedEvent(event: event, subject: try await subject(of: event))
                    await runWorkflows(of: emitted, depth: event.pendingWorkflows?.depth ?? 0)
                }
                // Every event listed is now claimed (here or elsewhere), or ran: the next page
                // lists others.
                if pending.count < Self.recoveryPageSize { return }
            }
        } catch {
            logger.error("pending workflows could not be recovered", metadata: ["error.type": "\(type(of: error))"])
        }
    }

    /// After a commit that stored `events`: wakes the webhook delivery (``whenEventsStored``), then
    /// runs the workflows each of them triggers (those stored with a pending mark).
    func eventsStored(_ events: [EmittedEvent], depth: Int) async {
        if !events.isEmpty { whenEventsStored() }
        for emitted in events where emitted.event.pendingWorkflows != nil {
            await runWorkflows(of: emitted, depth: depth)
        }
    }

    /// Runs every workflow `emitted` triggers that has not run yet for it, each followed by the
    /// workflows its action's events trigger, and clears the event's pending mark once all are
    /// stored. Never throws: a failing action is a failed run, not a failure of the call that
    /// raised the event.
    func runWorkflows(of emitted: EmittedEvent, depth: Int) async {
        var complete = true
        for rule in directory.workflows(of: emitted.event.organization, triggeredBy: emitted.event.name) {
            switch await attempt(rule, on: emitted, depth: depth) {
            case .ran(let raised):
                await eventsStored(raised, depth: depth + 1)
            case .alreadyRan:
                continue
            case .notStored:
                complete = false
            }
        }
        guard complete else { return }
        do {
            try await store.finishWorkflows(of: emitted.event.id)
        } catch {
            logger.error(
                "pending workflows could not be marked done", metadata: ["event.id": "\(emitted.event.id)", "error.type": "\(type(of: error))"])
        }
    }

    /// Runs `rule` for `emitted`: its action and its run stored together, or its failed run
    /// alone; neither when a run of the pair is stored already.
    private func attempt(_ rule: WorkflowRule, on emitted: EmittedEvent, depth: Int) async -> WorkflowAttempt {
        var run = StoredWorkflowRun(
            id: WorkflowRunID(validated: "wfr_" + RandomToken.alphanumeric(length: 24)),
            organization: emitted.event.organization, workflowID: rule.id, triggerEventID: emitted.event.id,
            triggerName: emitted.event.name, outcome: .succeeded, createdAt: clock.now())
        do {
            do {
                guard depth < Self.maximumWorkflowDepth else {
                    throw ShareTokenFailure(
                        status: 508, title: "Workflow chain too deep",
                        detail: "more than \(Self.maximumWorkflowDepth) workflows in a row were triggered by one another")
                }
                return try await perform(rule.action, on: emitted, run: &run, depth: depth)
            } catch let failure as ShareTokenFailure {
                var failed = run
                failed.outcome = .failed
                failed.shareTokenID = nil
                failed.error = failure.title + ": " + failure.detail
                return try await store.recordWorkflowRun(failed, action: nil) == .recorded ? .ran(raised: []) : .alreadyRan
            }
        } catch {
            logger.error("workflow run could not be stored", metadata: ["workflow.id": "\(rule.id)", "error.type": "\(type(of: error))"])
            return .notStored
        }
    }

    /// Prepares `action` for `trigger` and stores it with `run` (as `run`'s organization).
    private func perform(_ action: WorkflowRule.Action, on trigger: EmittedEvent, run: inout StoredWorkflowRun, depth: Int) async throws
        -> WorkflowAttempt
    {
        let organization = run.organization
        switch action {
        case .createShareToken(let connection, let expiresInSeconds):
            let sourceID: SourceID? =
                switch trigger.subject {
                case .record(let id): id
                case .shareToken(let token): token.destinationID
                case .gone: nil
                }
            guard let sourceID else {
                throw ShareTokenFailure(status: 422, title: "No record", detail: "the trigger carries no record to share")
            }
            guard let connectionID = ConnectionID(rawValue: connection) else {
                throw ShareTokenFailure.invalidAttribute(ShareTokenFailure.pointer("connection-id"), "connection-id must start with \"cxn_\"")
            }
            var attributes = ShareTokenCreateAttributes(connectionID: connectionID, sourceID: sourceID)
            attributes.expiresInSeconds = expiresInSeconds
            let creator = JSONAPIResourceIdentifier(type: "workflow-run", id: run.id.rawValue)
            let (token, events) = try await newToken(attributes, by: organization, creator: creator, depth: depth + 1)
            run.shareTokenID = token.id
            switch try await store.recordWorkflowRun(run, action: .insertShareToken(token, events: events.map(\.event))) {
            case .recorded:
                logTokenCreated(token)
                return .ran(raised: events)
            case .alreadyRan:
                return .alreadyRan
            case .statusChanged:
                throw ShareTokenFailure.alreadyRedeemed
            }
        case .redeemShareToken(let destination):
            guard case .shareToken(let token) = trigger.subject else {
                throw ShareTokenFailure(status: 422, title: "No share token", detail: "the trigger carries no share token to redeem")
            }
            var attributes = ShareTokenRedeemAttributes()
            if let destination {
                guard let id = SourceID(rawValue: destination) else {
                    throw ShareTokenFailure.invalidAttribute(ShareTokenFailure.pointer("destination-id"), "destination-id is not a record id")
                }
                attributes.destinationID = id
            }
            let pending = try await redemption(of: token.id, attributes, by: organization)
            run.shareTokenID = token.id
            switch try await store.recordWorkflowRun(run, action: .replaceShareToken(pending, expecting: .created, events: [])) {
            case .recorded:
                // The redemption finishes in the background; its events start the next workflows then.
                scheduleFinish(of: pending, depth: depth + 1)
                return .ran(raised: [])
            case .alreadyRan:
                return .alreadyRan
            case .statusChanged:
                throw ShareTokenFailure.alreadyRedeemed
            }
        }
    }

    /// What `event`, read back from the store, is about: its share token as stored now, or its
    /// record; `gone` when that no longer exists.
    private func subject(of event: StoredEvent) async throws -> EmittedEvent.Subject {
        guard let payload = try? WireJSON.decode(EventPayloadReference.self, from: event.resource).attributes.payload.data else {
            return .gone
        }
        if payload.type == ShareToken.resourceType {
            guard let id = ShareTokenID(rawValue: payload.id), let token = try await store.shareToken(id: id) else { return .gone }
            return .shareToken(token)
        }
        guard let id = SourceID(rawValue: payload.id), try await store.record(id: id) != nil else { return .gone }
        return .record(id)
    }
}
