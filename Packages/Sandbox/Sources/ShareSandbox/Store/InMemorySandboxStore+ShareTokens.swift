extension InMemorySandboxStore {
    public func insertRecordIfAbsent(_ record: StoredRecord) {
        if records[record.id] == nil { records[record.id] = record }
    }

    public func record(id: String) -> StoredRecord? { records[id] }

    public func insertShareToken(_ token: StoredShareToken, events newEvents: [StoredEvent]) {
        shareTokens[token.id] = token
        shareTokenOrder.append(token.id)
        insertEvents(newEvents)
    }

    public func shareToken(id: String) -> StoredShareToken? { shareTokens[id] }

    public func shareTokens(_ query: ShareTokenQuery) -> [StoredShareToken] {
        var ids = shareTokenOrder[...]
        if let after = query.after {
            guard let position = shareTokenOrder.firstIndex(of: after) else { return [] }
            ids = shareTokenOrder[(position + 1)...]
        }
        var page: [StoredShareToken] = []
        for id in ids where page.count < query.limit {
            if let token = shareTokens[id], query.matches(token) { page.append(token) }
        }
        return page
    }

    public func redeemShareToken(
        id: String, destination: StoredRecord, at now: Int, makeEvents: @Sendable (StoredShareToken) -> [StoredEvent]
    ) -> ShareTokenTransition {
        guard var token = shareTokens[id] else { return .unknown }
        let status = token.effectiveStatus(at: now)
        guard status == .created else { return .refused(status) }
        records[destination.id] = destination
        token.status = .redeemed
        token.destinationID = destination.id
        token.redeemedAt = now
        shareTokens[id] = token
        insertEvents(makeEvents(token))
        return .done(token)
    }

    public func expireShareToken(id: String, at now: Int) -> ShareTokenTransition {
        guard var token = shareTokens[id] else { return .unknown }
        guard token.status == .created else { return .refused(token.status) }
        token.status = .expired
        token.expiresAt = min(token.expiresAt, now)
        shareTokens[id] = token
        return .done(token)
    }

    public func events(organization: String, after: String?, limit: Int) -> [StoredEvent] {
        var ids = eventOrder[...]
        if let after {
            guard let position = eventOrder.firstIndex(of: after) else { return [] }
            ids = eventOrder[(position + 1)...]
        }
        var page: [StoredEvent] = []
        for id in ids where page.count < limit {
            if let event = events[id], event.organization == organization { page.append(event) }
        }
        return page
    }

    public func dueDeliveries(at now: Int, limit: Int) -> [StoredEvent] {
        var due: [StoredEvent] = []
        for id in eventOrder where due.count < limit {
            if let event = events[id], event.delivery == .pending, event.nextAttemptAt <= now { due.append(event) }
        }
        return due
    }

    public func recordDeliveryAttempt(eventID: String, delivery: StoredEvent.Delivery, attempts: Int, nextAttemptAt: Int) {
        guard var event = events[eventID] else { return }
        event.delivery = delivery
        event.attempts = attempts
        event.nextAttemptAt = nextAttemptAt
        events[eventID] = event
    }

    private func insertEvents(_ newEvents: [StoredEvent]) {
        for event in newEvents {
            events[event.id] = event
            eventOrder.append(event.id)
        }
    }
}
