import Foundation
import GRDB
import ShareModels
import ShareWire

// The ShareTokenStore half of SandboxStore (which refines it).
extension SQLiteSandboxStore {
    // MARK: Records

    public func record(id: SourceID) async throws -> StoredRecord? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM records WHERE id = ?", arguments: [id.rawValue]).map(Self.record(from:))
        }
    }

    public func seedRecords(_ records: [StoredRecord]) async throws {
        try await write { db in
            for record in records { try Self.write(record, into: db, replacing: false) }
        }
    }

    public func saveRecord(_ record: StoredRecord, events: [StoredEvent]) async throws {
        try await write { db in
            try Self.write(record, into: db, replacing: true)
            try Self.insert(events, into: db)
        }
    }

    // MARK: Share tokens

    public func insertShareToken(_ token: StoredShareToken, events: [StoredEvent]) async throws {
        try await write { db in
            try Self.insert(token, into: db)
            try Self.insert(events, into: db)
        }
    }

    private static func insert(_ token: StoredShareToken, into db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO share_tokens (id, connection_id, source_organization, destination_organization, source_id,
                                          destination_id, status, created_at, expires_at, redeemed_at, updated_at,
                                          pending_at, failed_at, failure_reason, creator_type, creator_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                token.id.rawValue, token.connectionID.rawValue, token.sourceOrganization.rawValue,
                token.destinationOrganization.rawValue, token.sourceID.rawValue, token.destinationID?.rawValue,
                token.status.rawValue, token.lifecycle.createdAt.timeIntervalSince1970, token.lifecycle.expiresAt.timeIntervalSince1970,
                token.lifecycle.redeemedAt?.timeIntervalSince1970, token.lifecycle.updatedAt.timeIntervalSince1970,
                token.lifecycle.pendingAt?.timeIntervalSince1970, token.lifecycle.failedAt?.timeIntervalSince1970,
                token.lifecycle.failureReason, token.creator?.type, token.creator?.id,
            ])
    }

    public func shareToken(id: ShareTokenID) async throws -> StoredShareToken? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM share_tokens WHERE id = ?", arguments: [id.rawValue]).map(Self.shareToken(from:))
        }
    }

    public func shareTokens(visibleTo organization: OrganizationID, matching query: ShareTokenQuery, at now: Date) async throws
        -> [StoredShareToken]
    {
        try await read { db in
            var sql = "SELECT * FROM share_tokens WHERE (source_organization = ? OR destination_organization = ?)"
            var arguments: StatementArguments = [organization.rawValue, organization.rawValue]
            if let after = query.after {
                sql += " AND seq < (SELECT seq FROM share_tokens WHERE id = ?)"
                arguments += [after.rawValue]
            }
            if let connectionID = query.connectionID {
                sql += " AND connection_id = ?"
                arguments += [connectionID.rawValue]
            }
            sql += " ORDER BY seq DESC"
            // The status filter depends on the time (expiry at read time), so it is applied here.
            var result: [StoredShareToken] = []
            let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while result.count < query.limit, let row = try rows.next() {
                let token = try Self.shareToken(from: row)
                if query.matches(token, for: organization, at: now) { result.append(token) }
            }
            return result
        }
    }

    public func replaceShareToken(
        _ token: StoredShareToken, expecting expected: ShareTokenStatus, record: StoredRecord?, events: [StoredEvent]
    ) async throws -> ShareTokenReplacement {
        try await write { db in
            // One write transaction: the ownership check, the status check and the writes cannot
            // interleave with another redemption into the same record id.
            if let record,
                let owner = try String.fetchOne(db, sql: "SELECT organization FROM records WHERE id = ?", arguments: [record.id.rawValue]),
                owner != record.organization.rawValue
            {
                return .recordOwnedByAnotherOrganization
            }
            guard try Self.replace(token, expecting: expected, in: db) else { return .statusChanged }
            if let record { try Self.write(record, into: db, replacing: true) }
            try Self.insert(events, into: db)
            return .replaced
        }
    }

    /// Replaces the share token with `token.id` when its status is still `expected`; `false`,
    /// changing nothing, when it is not.
    private static func replace(_ token: StoredShareToken, expecting expected: ShareTokenStatus, in db: Database) throws -> Bool {
        try db.execute(
            sql: """
                UPDATE share_tokens SET destination_id = ?, status = ?, expires_at = ?, redeemed_at = ?, updated_at = ?,
                                        pending_at = ?, failed_at = ?, failure_reason = ?
                WHERE id = ? AND status = ?
                """,
            arguments: [
                token.destinationID?.rawValue, token.status.rawValue, token.lifecycle.expiresAt.timeIntervalSince1970,
                token.lifecycle.redeemedAt?.timeIntervalSince1970, token.lifecycle.updatedAt.timeIntervalSince1970,
                token.lifecycle.pendingAt?.timeIntervalSince1970, token.lifecycle.failedAt?.timeIntervalSince1970,
                token.lifecycle.failureReason, token.id.rawValue, expected.rawValue,
            ])
        return db.changesCount == 1
    }

    public func pendingShareTokens() async throws -> [StoredShareToken] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM share_tokens WHERE status = ? ORDER BY seq", arguments: [ShareTokenStatus.pending.rawValue]
            ).map(Self.shareToken(from:))
        }
    }

    // MARK: Connections

    public func seedConnections(_ connections: [StoredConnection]) async throws {
        try await write { db in
            for connection in connections { try Self.insert(connection, into: db, ignoringExisting: true) }
        }
    }

    public func insertConnection(_ connection: StoredConnection) async throws {
        try await write { db in try Self.insert(connection, into: db, ignoringExisting: false) }
    }

    public func connection(id: ConnectionID) async throws -> StoredConnection? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM connections WHERE id = ?", arguments: [id.rawValue]).map(Self.connection(from:))
        }
    }

    public func connections(of organization: OrganizationID, after: ConnectionID?, limit: Int) async throws -> [StoredConnection] {
        try await read { db in
            var sql = "SELECT * FROM connections WHERE (source_organization = ? OR destination_organization = ?)"
            var arguments: StatementArguments = [organization.rawValue, organization.rawValue]
            if let after {
                sql += " AND seq < (SELECT seq FROM connections WHERE id = ?)"
                arguments += [after.rawValue]
            }
            sql += " ORDER BY seq DESC LIMIT ?"
            arguments += [limit]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.connection(from:))
        }
    }

    public func replaceConnection(_ connection: StoredConnection, expecting expected: ConnectConnectionStatus) async throws -> Bool {
        try await write { db in
            try db.execute(
                sql: """
                    UPDATE connections SET status = ?, updated_at = ?, activated_at = ?, deactivated_at = ?
                    WHERE id = ? AND status = ?
                    """,
                arguments: [
                    connection.status.rawValue, connection.lifecycle.updatedAt.timeIntervalSince1970,
                    connection.lifecycle.activatedAt?.timeIntervalSince1970, connection.lifecycle.deactivatedAt?.timeIntervalSince1970,
                    connection.id.rawValue, expected.rawValue,
                ])
            return db.changesCount == 1
        }
    }

    // MARK: Events

    public func events(of organization: OrganizationID, after: EventID?, limit: Int) async throws -> [StoredEvent] {
        try await read { db in
            var sql = "SELECT * FROM events WHERE organization = ?"
            var arguments: StatementArguments = [organization.rawValue]
            if let after {
                sql += " AND seq < (SELECT seq FROM events WHERE id = ?)"
                arguments += [after.rawValue]
            }
            sql += " ORDER BY seq DESC LIMIT ?"
            arguments += [limit]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.event(from:))
        }
    }

    public func event(id: EventID) async throws -> StoredEvent? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM events WHERE id = ?", arguments: [id.rawValue]).map(Self.event(from:))
        }
    }

    public func dueDeliveries(at now: Date, limit: Int) async throws -> [StoredEvent] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM events WHERE delivery_state = ? AND COALESCE(next_attempt_at, created_at) <= ?
                    ORDER BY seq LIMIT ?
                    """,
                arguments: [StoredEvent.DeliveryState.pending.rawValue, now.timeIntervalSince1970, limit]
            ).map(Self.event(from:))
        }
    }

    public func updateDelivery(of id: EventID, to delivery: StoredEvent.Delivery) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    UPDATE events SET delivery_state = ?, attempts = ?, next_attempt_at = ?, last_error = ?, first_attempt_at = ?
                    WHERE id = ?
                    """,
                arguments: [
                    delivery.state.rawValue, delivery.attempts, delivery.nextAttemptAt?.timeIntervalSince1970, delivery.lastError,
                    delivery.firstAttemptAt?.timeIntervalSince1970, id.rawValue,
                ])
        }
    }

    // MARK: Workflow runs

    // MARK: Workflows

    public func eventsWithPendingWorkflows(claimableAt now: Date, limit: Int) async throws -> [StoredEvent] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM events
                    WHERE workflows_depth IS NOT NULL AND (workflows_claimed_until IS NULL OR workflows_claimed_until <= ?)
                    ORDER BY seq LIMIT ?
                    """,
                arguments: [now.timeIntervalSince1970, limit]
            ).map(Self.event(from:))
        }
    }

    /// One statement in the single writer's transaction: of claims made together (by tasks or by
    /// processes sharing the file), the first one's lease is what the others' condition sees.
    public func claimWorkflows(of id: EventID, at now: Date, until leaseEnd: Date) async throws -> Bool {
        try await write { db in
            try db.execute(
                sql: """
                    UPDATE events SET workflows_claimed_until = ?
                    WHERE id = ? AND workflows_depth IS NOT NULL AND (workflows_claimed_until IS NULL OR workflows_claimed_until <= ?)
                    """,
                arguments: [leaseEnd.timeIntervalSince1970, id.rawValue, now.timeIntervalSince1970])
            return db.changesCount == 1
        }
    }

    public func finishWorkflows(of id: EventID) async throws {
        try await write { db in
            try db.execute(
                sql: "UPDATE events SET workflows_depth = NULL, workflows_claimed_until = NULL WHERE id = ?", arguments: [id.rawValue])
        }
    }

    // MARK: Workflow runs

    /// One write transaction: the check of the pair, the action and the run cannot interleave
    /// with another recording (the unique index on the pair stands behind the check).
    public func recordWorkflowRun(_ run: StoredWorkflowRun, action: WorkflowRunAction?) async throws -> WorkflowRunRecording {
        try await write { db in
            let ran = try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM workflow_runs WHERE workflow_id = ? AND trigger_event_id = ?)",
                arguments: [run.workflowID, run.triggerEventID.rawValue]) ?? false
            guard !ran else { return .alreadyRan }
            switch action {
            case .insertShareToken(let token, let events):
                try Self.insert(token, into: db)
                try Self.insert(events, into: db)
            case .replaceShareToken(let token, let expected, let events):
                guard try Self.replace(token, expecting: expected, in: db) else { return .statusChanged }
                try Self.insert(events, into: db)
            case nil:
                break
            }
            try db.execute(
                sql: """
                    INSERT INTO workflow_runs (id, organization, workflow_id, trigger_event_id, trigger_name, outcome, error,
                                               share_token_id, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    run.id.rawValue, run.organization.rawValue, run.workflowID, run.triggerEventID.rawValue, run.triggerName.rawValue,
                    run.outcome.rawValue, run.error, run.shareTokenID?.rawValue, run.createdAt.timeIntervalSince1970,
                ])
            return .recorded
        }
    }

    public func workflowRuns(of organization: OrganizationID, after: WorkflowRunID?, limit: Int) async throws -> [StoredWorkflowRun] {
        try await read { db in
            var sql = "SELECT * FROM workflow_runs WHERE organization = ?"
            var arguments: StatementArguments = [organization.rawValue]
            if let after {
                sql += " AND seq < (SELECT seq FROM workflow_runs WHERE id = ?)"
                arguments += [after.rawValue]
            }
            sql += " ORDER BY seq DESC LIMIT ?"
            arguments += [limit]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.workflowRun(from:))
        }
    }

    // MARK: Rows

    private static func write(_ record: StoredRecord, into db: Database, replacing: Bool) throws {
        let attributes = String(decoding: try WireJSON.encode(record.attributes), as: UTF8.self)
        try db.execute(
            sql: (replacing ? "INSERT OR REPLACE" : "INSERT OR IGNORE")
                + " INTO records (id, organization, attributes, created_at, shared_from) VALUES (?, ?, ?, ?, ?)",
            arguments: [
                record.id.rawValue, record.organization.rawValue, attributes, record.createdAt.timeIntervalSince1970,
                record.sharedFrom?.rawValue,
            ])
    }

    private static func insert(_ connection: StoredConnection, into db: Database, ignoringExisting: Bool) throws {
        try db.execute(
            sql: (ignoringExisting ? "INSERT OR IGNORE" : "INSERT")
                + """
                 INTO connections (id, source_organization, destination_organization, status, created_at, updated_at,
                                   activated_at, deactivated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                connection.id.rawValue, connection.sourceOrganization.rawValue, connection.destinationOrganization.rawValue,
                connection.status.rawValue, connection.lifecycle.createdAt.timeIntervalSince1970,
                connection.lifecycle.updatedAt.timeIntervalSince1970, connection.lifecycle.activatedAt?.timeIntervalSince1970,
                connection.lifecycle.deactivatedAt?.timeIntervalSince1970,
            ])
    }

    private static func connection(from row: Row) throws -> StoredConnection {
        guard let status = ConnectConnectionStatus(rawValue: row["status"]) else { throw SQLiteStoreCorruption(table: "connections") }
        return StoredConnection(
            id: try identifier(ConnectionID.self, row["id"], table: "connections"),
            sourceOrganization: try identifier(OrganizationID.self, row["source_organization"], table: "connections"),
            destinationOrganization: try identifier(OrganizationID.self, row["destination_organization"], table: "connections"),
            lifecycle: ConnectConnectionLifecycle(
                status: status, createdAt: Date(timeIntervalSince1970: row["created_at"]),
                updatedAt: Date(timeIntervalSince1970: row["updated_at"]), activatedAt: date(row["activated_at"]),
                deactivatedAt: date(row["deactivated_at"])))
    }

    private static func insert(_ events: [StoredEvent], into db: Database) throws {
        for event in events {
            try db.execute(
                sql: """
                    INSERT INTO events (id, organization, name, created_at, resource, delivery_state, attempts, next_attempt_at,
                                        last_error, first_attempt_at, workflows_depth, workflows_claimed_until)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    event.id.rawValue, event.organization.rawValue, event.name.rawValue, event.createdAt.timeIntervalSince1970,
                    Data(event.resource), event.delivery.state.rawValue, event.delivery.attempts,
                    event.delivery.nextAttemptAt?.timeIntervalSince1970, event.delivery.lastError,
                    event.delivery.firstAttemptAt?.timeIntervalSince1970, event.pendingWorkflows?.depth,
                    event.pendingWorkflows?.claimedUntil?.timeIntervalSince1970,
                ])
        }
    }

    private static func identifier<ID: Identifier>(_ type: ID.Type, _ value: String?, table: String) throws -> ID {
        guard let value, let id = ID(rawValue: value) else { throw SQLiteStoreCorruption(table: table) }
        return id
    }

    private static func date(_ value: Double?) -> Date? { value.map(Date.init(timeIntervalSince1970:)) }

    private static func record(from row: Row) throws -> StoredRecord {
        let attributes: String = row["attributes"]
        return StoredRecord(
            id: try identifier(SourceID.self, row["id"], table: "records"),
            organization: try identifier(OrganizationID.self, row["organization"], table: "records"),
            attributes: try WireJSON.decode([String: AttributeValue].self, from: Array(attributes.utf8)),
            createdAt: Date(timeIntervalSince1970: row["created_at"]),
            sharedFrom: (row["shared_from"] as String?).flatMap(ShareTokenID.init(rawValue:))
        )
    }

    private static func shareToken(from row: Row) throws -> StoredShareToken {
        guard let status = ShareTokenStatus(rawValue: row["status"]) else { throw SQLiteStoreCorruption(table: "share_tokens") }
        let createdAt = Date(timeIntervalSince1970: row["created_at"])
        let creatorType: String? = row["creator_type"]
        let creatorID: String? = row["creator_id"]
        return StoredShareToken(
            id: try identifier(ShareTokenID.self, row["id"], table: "share_tokens"),
            connectionID: try identifier(ConnectionID.self, row["connection_id"], table: "share_tokens"),
            sourceOrganization: try identifier(OrganizationID.self, row["source_organization"], table: "share_tokens"),
            destinationOrganization: try identifier(OrganizationID.self, row["destination_organization"], table: "share_tokens"),
            sourceID: try identifier(SourceID.self, row["source_id"], table: "share_tokens"),
            destinationID: (row["destination_id"] as String?).flatMap(SourceID.init(rawValue:)),
            creator: creatorType.flatMap { type in creatorID.map { JSONAPIResourceIdentifier(type: type, id: $0) } },
            lifecycle: ShareTokenLifecycle(
                restoring: status, createdAt: createdAt,
                // Tokens stored before these columns existed changed last when they were redeemed, if at all.
                updatedAt: date(row["updated_at"]) ?? date(row["redeemed_at"]) ?? createdAt,
                expiresAt: Date(timeIntervalSince1970: row["expires_at"]), pendingAt: date(row["pending_at"]),
                redeemedAt: date(row["redeemed_at"]), failedAt: date(row["failed_at"]), failureReason: row["failure_reason"])
        )
    }

    private static func event(from row: Row) throws -> StoredEvent {
        guard let state = StoredEvent.DeliveryState(rawValue: row["delivery_state"]) else { throw SQLiteStoreCorruption(table: "events") }
        return StoredEvent(
            id: try identifier(EventID.self, row["id"], table: "events"),
            organization: try identifier(OrganizationID.self, row["organization"], table: "events"),
            name: EventName(rawValue: row["name"]),
            createdAt: Date(timeIntervalSince1970: row["created_at"]),
            resource: Array(row["resource"] as Data),
            delivery: StoredEvent.Delivery(
                state: state, attempts: row["attempts"], nextAttemptAt: date(row["next_attempt_at"]), lastError: row["last_error"],
                firstAttemptAt: date(row["first_attempt_at"])),
            pendingWorkflows: (row["workflows_depth"] as Int?).map { depth in
                StoredEvent.PendingWorkflows(depth: depth, claimedUntil: date(row["workflows_claimed_until"]))
            }
        )
    }

    private static func workflowRun(from row: Row) throws -> StoredWorkflowRun {
        guard let outcome = StoredWorkflowRun.Outcome(rawValue: row["outcome"]) else { throw SQLiteStoreCorruption(table: "workflow_runs") }
        return StoredWorkflowRun(
            id: try identifier(WorkflowRunID.self, row["id"], table: "workflow_runs"),
            organization: try identifier(OrganizationID.self, row["organization"], table: "workflow_runs"),
            workflowID: row["workflow_id"],
            triggerEventID: try identifier(EventID.self, row["trigger_event_id"], table: "workflow_runs"),
            triggerName: EventName(rawValue: row["trigger_name"]),
            outcome: outcome,
            error: row["error"],
            shareTokenID: (row["share_token_id"] as String?).flatMap(ShareTokenID.init(rawValue:)),
            createdAt: Date(timeIntervalSince1970: row["created_at"])
        )
    }
}
