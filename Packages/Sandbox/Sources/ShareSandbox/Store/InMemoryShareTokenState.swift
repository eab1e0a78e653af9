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
    public func record(id: SourceID) -> StoredRecord? { shareTokenState.records[id] }

    public func seedRecords(_ records: [StoredRecord]) {
        for record in records where shareTokenState.records[record.id] == nil { shareTokenState.records[record.id] = record }
    }

    public func saveRecord(_ record: StoredRecord, events: [StoredEvent]) {
        shareTokenState.records[record.id] = record
        shareTokenState.insert(events)
    }

    public func insertShareToken(_ token: StoredShareToken, events: [StoredEvent]) {
        if shareTokenState.shareTokens[token.id] == nil { shareTokenState.shareTokenOrder.append(token.id) }
        shareTokenState.shareTokens[token.id] = token
        shareTokenState.insert(events)
    }

    public func shareToken(id: ShareTokenID) -> StoredShareToken? { shareTokenState.shareTokens[id] }

    public func shareTokens(visibleTo organization: OrganizationID, matching query: ShareTokenQuery, at now: Date) -> [StoredShareToken] {
        var result: [StoredShareToken] = []
        for id in InMemoryShareTokenState.newestFirst(shareTokenState.shareTokenOrder, after: query.after) {
            guard result.count < query.limit else { break }
            if let token = shareTokenState.shareTokens[id], query.matches(token, for: organization, at: now) { result.append(token) }
        }
        return result
    }

    public func replaceShareToken(
        _ token: StoredShareToken, expecting expected: ShareTokenStatus, record: StoredRecord?, events: [StoredEvent]
    ) -> Bool {
        guard shareTokenState.shareTokens[token.id]?.status == expected else { return false }
        shareTokenState.shareTokens[token.id] = token
        if let record { shareTokenState.records[record.id] = record }
        shareTokenState.insert(events)
        return true
    }

    public func events(of organization: OrganizationID, after: EventID?, limit: Int) -> [StoredEvent] {
        var result: [StoredEvent] = []
        for id in InMemoryShareTokenState.newestFirst(shareTokenState.eventOrder, after: after) {
            guard result.count < limit else { break }
            if let event = shareTokenState.events[id], event.organization == organization { result.append(event) }
        }
        return result
    }

    public func event(id: EventID) -> StoredEvent? { shareTokenState.events[id] }

    public func dueDeliveries(at now: Date, limit: Int) -> [StoredEvent] {
        var result: [StoredEvent] = []
        for id in shareTokenState.eventOrder {
            guard result.count < limit else { break }
            guard let event = shareTokenState.events[id], event.delivery.state == .pending else { continue }
            if (event.delivery.nextAttemptAt ?? event.createdAt) <= now { result.append(event) }
        }
        return result
    }

    public func updateDelivery(of id: EventID, to delivery: StoredEvent.Delivery) {
        shareTokenState.events[id]?.delivery = delivery
    }

    public func insertWorkflowRun(_ run: StoredWorkflowRun) { shareTokenState.workflowRuns.append(run) }

    public func workflowRuns(of organization: OrganizationID, after: WorkflowRunID?, limit: Int) -> [StoredWorkflowRun] {
        let ids = shareTokenState.workflowRuns.map(\.id)
        let byID = Dictionary(shareTokenState.workflowRuns.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
        var result: [StoredWorkflowRun] = []
        for id in InMemoryShareTokenState.newestFirst(ids, after: after) {
            guard result.count < limit else { break }
            if let run = byID[id], run.organization == organization { result.append(run) }
        }
        return result
    }
}
