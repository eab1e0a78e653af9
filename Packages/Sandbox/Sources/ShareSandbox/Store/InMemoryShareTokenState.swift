import Foundation
import ShareModels

/// The share-token half of ``InMemorySandboxStore``: records, share tokens, events and workflow
/// runs, each list in the order it was written.
struct InMemoryShareTokenState: Sendable {
    var records: [SourceID: StoredRecord] = [:]
    var shareTokens: [ShareTokenID: StoredShareToken] = [:]
    var shareTokenOrder: [ShareTokenID] = []
    var events: [EventID: StoredEvent] = [:]
    var eventOrder: [EventID] = []
    var workflowRuns: [StoredWorkflowRun] = []
    var connections: [ConnectionID: StoredConnection] = [:]
    var connectionOrder: [ConnectionID] = []

    mutating func insert(_ token: StoredShareToken, events newEvents: [StoredEvent]) {
        if shareTokens[token.id] == nil { shareTokenOrder.append(token.id) }
        shareTokens[token.id] = token
        insert(newEvents)
    }

    /// Replaces the share token with `token.id` when its status is still `expected`; `false`,
    /// changing nothing, when it is not.
    mutating func replace(_ token: StoredShareToken, expecting expected: ShareTokenStatus) -> Bool {
        guard shareTokens[token.id]?.status == expected else { return false }
        shareTokens[token.id] = token
        return true
    }

    mutating func insert(_ newEvents: [StoredEvent]) {
        for event in newEvents {
            if events[event.id] == nil { eventOrder.append(event.id) }
            events[event.id] = event
        }
    }

    /// `ids`, newest first, starting after `after` when given.
    static func newestFirst<ID: Equatable>(_ ids: [ID], after: ID?) -> ArraySlice<ID> {
        let reversed = Array(ids.reversed())
        guard let after else { return reversed[...] }
        guard let position = reversed.firstIndex(of: after) else { return [] }
        return reversed[(position + 1)...]
    }
}

// The ShareTokenStore half of SandboxStore (which refines it).
extension InMemorySandboxStore {
    public func record(id: SourceID) -> StoredRecord? { withState { s in s.shareTokens.records[id] } }

    public func seedRecords(_ records: [StoredRecord]) {
        withState { s in
            for record in records where s.shareTokens.records[record.id] == nil { s.shareTokens.records[record.id] = record }
        }
    }

    public func saveRecord(_ record: StoredRecord, events: [StoredEvent]) {
        withState { s in
            s.shareTokens.records[record.id] = record
            s.shareTokens.insert(events)
        }
    }

    public func insertShareToken(_ token: StoredShareToken, events: [StoredEvent]) {
        withState { s in s.shareTokens.insert(token, events: events) }
    }

    public func shareToken(id: ShareTokenID) -> StoredShareToken? { withState { s in s.shareTokens.shareTokens[id] } }

    public func shareTokens(visibleTo organization: OrganizationID, matching query: ShareTokenQuery, at now: Date) -> [StoredShareToken] {
        withState { s in
            var result: [StoredShareToken] = []
            for id in InMemoryShareTokenState.newestFirst(s.shareTokens.shareTokenOrder, after: query.after) {
                guard result.count < query.limit else { break }
                if let token = s.shareTokens.shareTokens[id], query.matches(token, for: organization, at: now) { result.append(token) }
            }
            return result
        }
    }

    public func replaceShareToken(
        _ token: StoredShareToken, expecting expected: ShareTokenStatus, record: StoredRecord?, events: [StoredEvent]
    ) -> ShareTokenReplacement {
        withState { s in
            guard s.shareTokens.shareTokens[token.id]?.status == expected else { return .statusChanged }
            if let record, let existing = s.shareTokens.records[record.id], existing.organization != record.organization {
                return .recordOwnedByAnotherOrganization
            }
            _ = s.shareTokens.replace(token, expecting: expected)
            if let record { s.shareTokens.records[record.id] = record }
            s.shareTokens.insert(events)
            return .replaced
        }
    }

    public func pendingShareTokens() -> [StoredShareToken] {
        withState { s in s.shareTokens.shareTokenOrder.compactMap { s.shareTokens.shareTokens[$0] }.filter { $0.status == .pending } }
    }

    public func seedConnections(_ connections: [StoredConnection]) {
        withState { s in
            for connection in connections where s.shareTokens.connections[connection.id] == nil {
                s.shareTokens.connections[connection.id] = connection
                s.shareTokens.connectionOrder.append(connection.id)
            }
        }
    }

    public func insertConnection(_ connection: StoredConnection) {
        withState { s in
            if s.shareTokens.connections[connection.id] == nil { s.shareTokens.connectionOrder.append(connection.id) }
            s.shareTokens.connections[connection.id] = connection
        }
    }

    public func connection(id: ConnectionID) -> StoredConnection? { withState { s in s.shareTokens.connections[id] } }

    public func connections(of organization: OrganizationID, after: ConnectionID?, limit: Int) -> [StoredConnection] {
        withState { s in
            var result: [StoredConnection] = []
            for id in InMemoryShareTokenState.newestFirst(s.shareTokens.connectionOrder, after: after) {
                guard result.count < limit else { break }
                if let connection = s.shareTokens.connections[id], connection.side(of: organization) != nil { result.append(connection) }
            }
            return result
        }
    }

    public func replaceConnection(_ connection: StoredConnection, expecting expected: ConnectConnectionStatus) -> Bool {
        withState { s in
            guard s.shareTokens.connections[connection.id]?.status == expected else { return false }
            s.shareTokens.connections[connection.id] = connection
            return true
        }
    }

    public func events(of organization: OrganizationID, after: EventID?, limit: Int) -> [StoredEvent] {
        withState { s in
            var result: [StoredEvent] = []
            for id in InMemoryShareTokenState.newestFirst(s.shareTokens.eventOrder, after: after) {
                guard result.count < limit else { break }
                if let event = s.shareTokens.events[id], event.organization == organization { result.append(event) }
            }
            return result
        }
    }

    public func event(id: EventID) -> StoredEvent? { withState { s in s.shareTokens.events[id] } }

    public func dueDeliveries(at now: Date, limit: Int) -> [StoredEvent] {
        withState { s in
            var result: [StoredEvent] = []
            for id in s.shareTokens.eventOrder {
                guard result.count < limit else { break }
                guard let event = s.shareTokens.events[id], event.delivery.state == .pending else { continue }
                if (event.delivery.nextAttemptAt ?? event.createdAt) <= now { result.append(event) }
            }
            return result
        }
    }

    public func updateDelivery(of id: EventID, to delivery: StoredEvent.Delivery) {
        withState { s in s.shareTokens.events[id]?.delivery = delivery }
    }

    public func eventsWithPendingWorkflows(claimableAt now: Date, limit: Int) -> [StoredEvent] {
        withState { s in
            var result: [StoredEvent] = []
            for id in s.shareTokens.eventOrder {
                guard result.count < limit else { break }
                guard let event = s.shareTokens.events[id], let pending = event.pendingWorkflows else { continue }
                if (pending.claimedUntil ?? now) <= now { result.append(event) }
            }
            return result
        }
    }

    public func claimWorkflows(of id: EventID, at now: Date, until leaseEnd: Date) -> Bool {
        withState { s in
            guard let pending = s.shareTokens.events[id]?.pendingWorkflows, (pending.claimedUntil ?? now) <= now else { return false }
            s.shareTokens.events[id]?.pendingWorkflows?.claimedUntil = leaseEnd
            return true
        }
    }

    public func finishWorkflows(of id: EventID) { withState { s in s.shareTokens.events[id]?.pendingWorkflows = nil } }

    public func recordWorkflowRun(_ run: StoredWorkflowRun, action: WorkflowRunAction?) -> WorkflowRunRecording {
        withState { s in
            let ran = s.shareTokens.workflowRuns.contains { $0.workflowID == run.workflowID && $0.triggerEventID == run.triggerEventID }
            guard !ran else { return .alreadyRan }
            switch action {
            case .insertShareToken(let token, let events):
                s.shareTokens.insert(token, events: events)
            case .replaceShareToken(let token, let expected, let events):
                guard s.shareTokens.replace(token, expecting: expected) else { return .statusChanged }
                s.shareTokens.insert(events)
            case nil:
                break
            }
            s.shareTokens.workflowRuns.append(run)
            return .recorded
        }
    }

    public func workflowRuns(of organization: OrganizationID, after: WorkflowRunID?, limit: Int) -> [StoredWorkflowRun] {
        withState { s in
            let ids = s.shareTokens.workflowRuns.map(\.id)
            let byID = Dictionary(s.shareTokens.workflowRuns.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
            var result: [StoredWorkflowRun] = []
            for id in InMemoryShareTokenState.newestFirst(ids, after: after) {
                guard result.count < limit else { break }
                if let run = byID[id], run.organization == organization { result.append(run) }
            }
            return result
        }
    }
}
