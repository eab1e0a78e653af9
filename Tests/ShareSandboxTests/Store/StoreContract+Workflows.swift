import Foundation
import ShareModels
import ShareSandbox
import Testing

// MARK: Workflows once per event

extension StoreContract {
    /// An event that triggers workflows, stored with its pending mark (unclaimed unless `claimedUntil`).
    static func triggeringEvent(_ number: Int, depth: Int = 0, claimedUntil: Date? = nil, state: StoredEvent.DeliveryState = .notRequested)
        -> StoredEvent
    {
        var event = StoreSamples.event(number, state: state)
        event.pendingWorkflows = StoredEvent.PendingWorkflows(depth: depth, claimedUntil: claimedUntil)
        return event
    }

    /// A run of `workflow` triggered by event `evt_<trigger>`, with its own id `wfr_<number>`.
    static func run(_ number: Int, of workflow: String = "wf-share", trigger: Int = 1, shareToken: Int? = nil) -> StoredWorkflowRun {
        StoredWorkflowRun(
            id: WorkflowRunID(validated: "wfr_\(number)"), organization: StoreSamples.source, workflowID: workflow,
            triggerEventID: EventID(validated: "evt_\(trigger)"), triggerName: EventName(rawValue: "inquiry.completed"), outcome: .succeeded,
            shareTokenID: shareToken.map { ShareTokenID(validated: "cnst_\($0)") }, createdAt: StoreSamples.epoch)
    }

    static let workflows: [StoreContract] = [
        StoreContract(name: "workflows: a run and its new share token are stored together, once per (workflow, event)") { store, _ in
            let first = WorkflowRunAction.insertShareToken(StoreSamples.shareToken(1), events: [StoreSamples.event(11)])
            let recorded = try await store.recordWorkflowRun(run(1, shareToken: 1), action: first)
            #expect(recorded == .recorded)
            #expect(try await store.shareToken(id: ShareTokenID(validated: "cnst_1")) == StoreSamples.shareToken(1))
            #expect(try await store.event(id: EventID(validated: "evt_11")) != nil)
            // A second attempt of the same pair, as a recovery would make it: nothing of it is stored.
            let second = WorkflowRunAction.insertShareToken(StoreSamples.shareToken(2), events: [StoreSamples.event(12)])
            #expect(try await store.recordWorkflowRun(run(2, shareToken: 2), action: second) == .alreadyRan)
            #expect(try await store.shareToken(id: ShareTokenID(validated: "cnst_2")) == nil)
            #expect(try await store.event(id: EventID(validated: "evt_12")) == nil)
            var failed = run(3)
            failed.outcome = .failed
            failed.error = "refused"
            #expect(try await store.recordWorkflowRun(failed, action: nil) == .alreadyRan)
            #expect(try await store.workflowRuns(of: StoreSamples.source, after: nil, limit: 10).map(\.id.rawValue) == ["wfr_1"])
            #expect(try await store.shareTokens(visibleTo: StoreSamples.source, matching: ShareTokenQuery(limit: 10), at: StoreSamples.epoch).count
                == 1)
            // Another workflow on the same event, and the same workflow on another event, are other pairs.
            #expect(try await store.recordWorkflowRun(run(4, of: "wf-other"), action: nil) == .recorded)
            #expect(try await store.recordWorkflowRun(run(5, trigger: 2), action: nil) == .recorded)
            #expect(try await store.workflowRuns(of: StoreSamples.source, after: nil, limit: 10).count == 3)
        },
        StoreContract(name: "workflows: a run and its share token's change are stored together, once, and only from the expected status") {
            store, _ in
            let token = StoreSamples.shareToken(1)
            try await store.insertShareToken(token, events: [])
            var pending = token
            pending.destinationID = SourceID(validated: "inq_dest")
            pending.lifecycle = try token.lifecycle.applying(.beginRedemption, at: StoreSamples.epoch.addingTimeInterval(5))
            let redeem = WorkflowRunAction.replaceShareToken(pending, expecting: .created, events: [StoreSamples.event(11)])
            #expect(try await store.recordWorkflowRun(run(1, of: "wf-redeem", shareToken: 1), action: redeem) == .recorded)
            #expect(try await store.shareToken(id: token.id) == pending)
            var other = pending
            other.destinationID = SourceID(validated: "inq_elsewhere")
            let again = WorkflowRunAction.replaceShareToken(other, expecting: .pending, events: [StoreSamples.event(12)])
            #expect(try await store.recordWorkflowRun(run(2, of: "wf-redeem", shareToken: 1), action: again) == .alreadyRan)
            #expect(try await store.shareToken(id: token.id) == pending)
            #expect(try await store.event(id: EventID(validated: "evt_12")) == nil)
            // Another workflow finding the token changed stores nothing, and may then record its failure.
            let late = WorkflowRunAction.replaceShareToken(other, expecting: .created, events: [StoreSamples.event(13)])
            #expect(try await store.recordWorkflowRun(run(3, of: "wf-late", shareToken: 1), action: late) == .statusChanged)
            #expect(try await store.shareToken(id: token.id) == pending)
            #expect(try await store.event(id: EventID(validated: "evt_13")) == nil)
            #expect(try await store.workflowRuns(of: StoreSamples.source, after: nil, limit: 10).map(\.id.rawValue) == ["wfr_1"])
            #expect(try await store.recordWorkflowRun(run(4, of: "wf-late"), action: nil) == .recorded)
        },
        StoreContract(name: "workflows: of 20 concurrent runs of one (workflow, event) one stores its share token, the rest already ran") {
            store, _ in
            let outcomes = try await withThrowingTaskGroup(of: WorkflowRunRecording.self) { group in
                for attempt in 1...20 {
                    group.addTask {
                        try await store.recordWorkflowRun(
                            run(attempt, shareToken: attempt),
                            action: .insertShareToken(StoreSamples.shareToken(attempt), events: [StoreSamples.event(100 + attempt)]))
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == .recorded }.count == 1)
            #expect(outcomes.filter { $0 == .alreadyRan }.count == 19)
            let tokens = try await store.shareTokens(visibleTo: StoreSamples.source, matching: ShareTokenQuery(limit: 100), at: StoreSamples.epoch)
            #expect(tokens.count == 1)
            #expect(try await store.events(of: StoreSamples.source, after: nil, limit: 100).count == 1)
            let runs = try await store.workflowRuns(of: StoreSamples.source, after: nil, limit: 100)
            #expect(runs.count == 1)
            #expect(runs.first?.shareTokenID == tokens.first?.id)
        },
        StoreContract(name: "workflows: the pending mark is stored with its event, listed while unclaimed, and cleared") { store, _ in
            let claimed = StoreSamples.epoch.addingTimeInterval(30)
            try await store.insertShareToken(
                StoreSamples.shareToken(1), events: [triggeringEvent(1, depth: 2), StoreSamples.event(2), triggeringEvent(3, claimedUntil: claimed)])
            try await store.saveRecord(StoreSamples.record("inq_1", of: StoreSamples.source), events: [triggeringEvent(4)])
            #expect(try await store.event(id: EventID(validated: "evt_1"))?.pendingWorkflows == StoredEvent.PendingWorkflows(depth: 2))
            #expect(try await store.event(id: EventID(validated: "evt_2"))?.pendingWorkflows == nil)
            #expect(try await store.event(id: EventID(validated: "evt_3"))?.pendingWorkflows
                == StoredEvent.PendingWorkflows(depth: 0, claimedUntil: claimed))
            #expect(try await store.eventsWithPendingWorkflows(claimableAt: StoreSamples.epoch, limit: 10).map(\.id.rawValue) == ["evt_1", "evt_4"])
            #expect(try await store.eventsWithPendingWorkflows(claimableAt: StoreSamples.epoch, limit: 1).map(\.id.rawValue) == ["evt_1"])
            #expect(try await store.eventsWithPendingWorkflows(claimableAt: claimed, limit: 10).map(\.id.rawValue) == ["evt_1", "evt_3", "evt_4"])
            try await store.finishWorkflows(of: EventID(validated: "evt_1"))
            try await store.finishWorkflows(of: EventID(validated: "evt_3"))
            #expect(try await store.event(id: EventID(validated: "evt_1"))?.pendingWorkflows == nil)
            #expect(try await store.event(id: EventID(validated: "evt_3"))?.pendingWorkflows == nil)
            #expect(try await store.eventsWithPendingWorkflows(claimableAt: claimed, limit: 10).map(\.id.rawValue) == ["evt_4"])
            // The mark travels with the events of a workflow's action too.
            let action = WorkflowRunAction.insertShareToken(StoreSamples.shareToken(2), events: [triggeringEvent(5, depth: 1)])
            #expect(try await store.recordWorkflowRun(run(1, trigger: 4, shareToken: 2), action: action) == .recorded)
            #expect(try await store.event(id: EventID(validated: "evt_5"))?.pendingWorkflows == StoredEvent.PendingWorkflows(depth: 1))
        },
        StoreContract(name: "workflows: a claim is exclusive until its lease lapses, and none is granted once the workflows ran") { store, _ in
            let now = StoreSamples.epoch
            let id = EventID(validated: "evt_1")
            try await store.saveRecord(StoreSamples.record("inq_1", of: StoreSamples.source), events: [triggeringEvent(1), StoreSamples.event(2)])
            #expect(try await !store.claimWorkflows(of: EventID(validated: "evt_2"), at: now, until: now.addingTimeInterval(30)))
            let claims = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<10 { group.addTask { try await store.claimWorkflows(of: id, at: now, until: now.addingTimeInterval(30)) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(claims.filter { $0 }.count == 1)
            #expect(try await store.event(id: id)?.pendingWorkflows?.claimedUntil == now.addingTimeInterval(30))
            #expect(try await !store.claimWorkflows(of: id, at: now.addingTimeInterval(29), until: now.addingTimeInterval(59)))
            #expect(try await store.eventsWithPendingWorkflows(claimableAt: now.addingTimeInterval(29), limit: 10).isEmpty)
            // The lease lapsed (its holder stopped): another claim is granted, and holds in its turn.
            #expect(try await store.eventsWithPendingWorkflows(claimableAt: now.addingTimeInterval(30), limit: 10).map(\.id) == [id])
            #expect(try await store.claimWorkflows(of: id, at: now.addingTimeInterval(30), until: now.addingTimeInterval(60)))
            #expect(try await !store.claimWorkflows(of: id, at: now.addingTimeInterval(31), until: now.addingTimeInterval(61)))
            try await store.finishWorkflows(of: id)
            #expect(try await !store.claimWorkflows(of: id, at: now.addingTimeInterval(100), until: now.addingTimeInterval(130)))
            #expect(try await store.eventsWithPendingWorkflows(claimableAt: now.addingTimeInterval(100), limit: 10).isEmpty)
        },
        StoreContract(name: "retention: an event whose workflows are pending stays, whatever its delivery, until they have run") { store, _ in
            let cutoff = StoreSamples.epoch.addingTimeInterval(1000)
            try await store.saveRecord(
                StoreSamples.record("inq_1", of: StoreSamples.source),
                events: [triggeringEvent(1, state: .delivered), triggeringEvent(2), StoreSamples.event(3, state: .delivered)])
            #expect(try await store.purge(finishedBefore: cutoff, batchSize: 2) == SandboxPurge(events: 1))
            #expect(try await store.events(of: StoreSamples.source, after: nil, limit: 10).map(\.id.rawValue) == ["evt_2", "evt_1"])
            try await store.finishWorkflows(of: EventID(validated: "evt_1"))
            #expect(try await store.purge(finishedBefore: cutoff, batchSize: 2) == SandboxPurge(events: 1))
            #expect(try await store.events(of: StoreSamples.source, after: nil, limit: 10).map(\.id.rawValue) == ["evt_2"])
        },
    ]
}
