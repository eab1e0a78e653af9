import Foundation
import PostgresNIO
import ShareModels
import ShareSandbox
import ShareWire

// The ShareTokenStore half of SandboxStore (which refines it), statement for statement as the
// SQLite store, with the locks that stand in for SQLite's single writer.
extension PostgresSandboxStore {
    // MARK: Records

    public func record(id: SourceID) async throws -> StoredRecord? {
        try await rows("SELECT * FROM records WHERE id = \(id.rawValue)").first.map(Self.record(from:))
    }

    public func seedRecords(_ records: [StoredRecord]) async throws {
        try await transaction { db in
            for record in records { try await Self.write(record, into: db, replacing: false) }
        }
    }

    public func saveRecord(_ record: StoredRecord, events: [StoredEvent]) async throws {
        try await transaction { db in
            try await Self.write(record, into: db, replacing: true)
            try await Self.insert(events, into: db)
        }
    }

    // MARK: Share tokens

    public func insertShareToken(_ token: StoredShareToken, events: [StoredEvent]) async throws {
        try await transaction { db in
            try await Self.insert(token, into: db)
            try await Self.insert(events, into: db)
        }
    }

    private static func insert(_ token: StoredShareToken, into db: LeasedConnection) async throws {
        let lifecycle = token.lifecycle
        try await db.rows(
            """
            INSERT INTO share_tokens (id, connection_id, source_organization, destination_organization, source_id,
                                      destination_id, status, created_at, expires_at, redeemed_at, updated_at,
                                      pending_at, failed_at, failure_reason, creator_type, creator_id)
            VALUES (\(token.id.rawValue), \(token.connectionID.rawValue), \(token.sourceOrganization.rawValue),
                    \(token.destinationOrganization.rawValue), \(token.sourceID.rawValue), \(token.destinationID?.rawValue),
                    \(token.status.rawValue), \(lifecycle.createdAt.timeIntervalSince1970), \(lifecycle.expiresAt.timeIntervalSince1970),
                    \(lifecycle.redeemedAt?.timeIntervalSince1970), \(lifecycle.updatedAt.timeIntervalSince1970),
                    \(lifecycle.pendingAt?.timeIntervalSince1970), \(lifecycle.failedAt?.timeIntervalSince1970),
                    \(lifecycle.failureReason), \(token.creator?.type), \(token.creator?.id))
            """)
    }

    public func shareToken(id: ShareTokenID) async throws -> StoredShareToken? {
        try await rows("SELECT * FROM share_tokens WHERE id = \(id.rawValue)").first.map(Self.shareToken(from:))
    }

    public func shareTokens(visibleTo organization: OrganizationID, matching query: ShareTokenQuery, at now: Date) async throws
        -> [StoredShareToken]
    {
        // The status filter depends on the time (expiry at read time), so it is applied here, on
        // pages of rows read newest first until `limit` tokens match.
        var result: [StoredShareToken] = []
        var beforeSeq = Int.max
        let page = 256
        while result.count < query.limit {
            let rows = try await rows(
                """
                SELECT * FROM share_tokens
                WHERE (source_organization = \(organization.rawValue) OR destination_organization = \(organization.rawValue))
                  AND (\(query.after?.rawValue)::text IS NULL OR seq < (SELECT seq FROM share_tokens WHERE id = \(query.after?.rawValue)))
                  AND (\(query.connectionID?.rawValue)::text IS NULL OR connection_id = \(query.connectionID?.rawValue))
                  AND seq < \(beforeSeq)
                ORDER BY seq DESC LIMIT \(page)
                """)
            for row in rows {
                beforeSeq = try PostgresColumns(row, table: "share_tokens")["seq"]
                let token = try Self.shareToken(from: row)
                if query.matches(token, for: organization, at: now) { result.append(token) }
                if result.count == query.limit { break }
            }
            if rows.count < page { break }
        }
        return result
    }

    public func replaceShareToken(
        _ token: StoredShareToken, expecting expected: ShareTokenStatus, record: StoredRecord?, events: [StoredEvent]
    ) async throws -> ShareTokenReplacement {
        try await transaction { db in
            // The record's lock orders this ownership check and write with every other redemption
            // into the same record id, from any sandbox on the database.
            if let record {
                try await db.lock("record", record.id.rawValue)
                let owners = try await db.rows("SELECT organization FROM records WHERE id = \(record.id.rawValue)")
                if let owner = owners.first, try PostgresColumns(owner, table: "records")["organization", as: String.self] != record.organization.rawValue {
                    return .recordOwnedByAnotherOrganization
                }
            }
            guard try await Self.replace(token, expecting: expected, in: db) else { return .statusChanged }
            if let record { try await Self.write(record, into: db, replacing: true) }
            try await Self.insert(events, into: db)
            return .replaced
        }
    }

    /// Replaces the share token with `token.id` when its status is still `expected`; `false`,
    /// changing nothing, when it is not. The row lock of the update makes concurrent
    /// replacements wait; each then sees the status the first one wrote, so exactly one replaces
    /// a token in a given status.
    private static func replace(_ token: StoredShareToken, expecting expected: ShareTokenStatus, in db: LeasedConnection) async throws
        -> Bool
    {
        let lifecycle = token.lifecycle
        return try await db.rows(
            """
            UPDATE share_tokens SET destination_id = \(token.destinationID?.rawValue), status = \(token.status.rawValue),
                                    expires_at = \(lifecycle.expiresAt.timeIntervalSince1970),
                                    redeemed_at = \(lifecycle.redeemedAt?.timeIntervalSince1970),
                                    updated_at = \(lifecycle.updatedAt.timeIntervalSince1970),
                                    pending_at = \(lifecycle.pendingAt?.timeIntervalSince1970),
                                    failed_at = \(lifecycle.failedAt?.timeIntervalSince1970),
                                    failure_reason = \(lifecycle.failureReason)
            WHERE id = \(token.id.rawValue) AND status = \(expected.rawValue)
            RETURNING seq
            """
        ).count == 1
    }

    public func pendingShareTokens() async throws -> [StoredShareToken] {
        try await rows("SELECT * FROM share_tokens WHERE status = \(ShareTokenStatus.pending.rawValue) ORDER BY seq")
            .map(Self.shareToken(from:))
    }

    // MARK: Connections

    public func seedConnections(_ connections: [StoredConnection]) async throws {
        try await transaction { db in
            for connection in connections { try await Self.insert(connection, into: db, ignoringExisting: true) }
        }
    }

    public func insertConnection(_ connection: StoredConnection) async throws {
        try await transaction { db in try await Self.insert(connection, into: db, ignoringExisting: false) }
    }

    public func connection(id: ConnectionID) async throws -> StoredConnection? {
        try await rows("SELECT * FROM connections WHERE id = \(id.rawValue)").first.map(Self.connection(from:))
    }

    public func connections(of organization: OrganizationID, after: ConnectionID?, limit: Int) async throws -> [StoredConnection] {
        try await rows(
            """
            SELECT * FROM connections
            WHERE (source_organization = \(organization.rawValue) OR destination_organization = \(organization.rawValue))
              AND (\(after?.rawValue)::text IS NULL OR seq < (SELECT seq FROM connections WHERE id = \(after?.rawValue)))
            ORDER BY seq DESC LIMIT \(limit)
            """
        ).map(Self.connection(from:))
    }

    public func replaceConnection(_ connection: StoredConnection, expecting expected: ConnectConnectionStatus) async throws -> Bool {
        let lifecycle = connection.lifecycle
        return try await transaction { db in
            try await db.rows(
                """
                UPDATE connections SET status = \(connection.status.rawValue), updated_at = \(lifecycle.updatedAt.timeIntervalSince1970),
                                       activated_at = \(lifecycle.activatedAt?.timeIntervalSince1970),
                                       deactivated_at = \(lifecycle.deactivatedAt?.timeIntervalSince1970)
                WHERE id = \(connection.id.rawValue) AND status = \(expected.rawValue)
                RETURNING seq
                """
            ).count == 1
        }
    }

    // MARK: Events

    public func events(of organization: OrganizationID, after: EventID?, limit: Int) async throws -> [StoredEvent] {
        try await rows(
            """
            SELECT * FROM events
            WHERE organization = \(organization.rawValue)
              AND (\(after?.rawValue)::text IS NULL OR seq < (SELECT seq FROM events WHERE id = \(after?.rawValue)))
            ORDER BY seq DESC LIMIT \(limit)
            """
        ).map(Self.event(from:))
    }

    public func event(id: EventID) async throws -> StoredEvent? {
        try await rows("SELECT * FROM events WHERE id = \(id.rawValue)").first.map(Self.event(from:))
    }

    /// Pending deliveries due at `now`, oldest first, leaving out those another sandbox holds a
    /// claim on (``claimDelivery(of:at:until:)``).
    public func dueDeliveries(at now: Date, limit: Int) async throws -> [StoredEvent] {
        let now = now.timeIntervalSince1970
        return try await rows(
            """
            SELECT * FROM events
            WHERE delivery_state = \(StoredEvent.DeliveryState.pending.rawValue) AND COALESCE(next_attempt_at, created_at) <= \(now)
              AND (claimed_until IS NULL OR claimed_until <= \(now))
            ORDER BY seq LIMIT \(limit)
            """
        ).map(Self.event(from:))
    }

    /// Claims the delivery for one attempt until `leaseEnd`: the event's row is locked
    /// `FOR UPDATE SKIP LOCKED`, so of sandboxes claiming it together one gets it and the others
    /// skip it without waiting, and a claim is granted only while none runs past `now`.
    public func claimDelivery(of id: EventID, at now: Date, until leaseEnd: Date) async throws -> Bool {
        let now = now.timeIntervalSince1970
        return try await transaction { db in
            try await db.rows(
                """
                WITH claimable AS (
                    SELECT seq FROM events
                    WHERE id = \(id.rawValue) AND delivery_state = \(StoredEvent.DeliveryState.pending.rawValue)
                      AND COALESCE(next_attempt_at, created_at) <= \(now)
                      AND (claimed_until IS NULL OR claimed_until <= \(now))
                    FOR UPDATE SKIP LOCKED
                )
                UPDATE events SET claimed_until = \(leaseEnd.timeIntervalSince1970)
                FROM claimable WHERE events.seq = claimable.seq
                RETURNING events.seq
                """
            ).count == 1
        }
    }

    public func updateDelivery(of id: EventID, to delivery: StoredEvent.Delivery) async throws {
        try await transaction { db in
            try await db.rows(
                """
                UPDATE events SET delivery_state = \(delivery.state.rawValue), attempts = \(delivery.attempts),
                                  next_attempt_at = \(delivery.nextAttemptAt?.timeIntervalSince1970), last_error = \(delivery.lastError),
                                  first_attempt_at = \(delivery.firstAttemptAt?.timeIntervalSince1970), claimed_until = NULL
                WHERE id = \(id.rawValue)
                """)
        }
    }

    // MARK: Workflows

    /// Events with pending workflows that no sandbox holds a claim on at `now`, oldest first.
    public func eventsWithPendingWorkflows(claimableAt now: Date, limit: Int) async throws -> [StoredEvent] {
        let now = now.timeIntervalSince1970
        return try await rows(
            """
            SELECT * FROM events
            WHERE workflows_depth IS NOT NULL AND (workflows_claimed_until IS NULL OR workflows_claimed_until <= \(now))
            ORDER BY seq LIMIT \(limit)
            """
        ).map(Self.event(from:))
    }

    /// Claims the workflows until `leaseEnd`: the event's row is locked `FOR UPDATE SKIP LOCKED`,
    /// so of sandboxes claiming it together one gets it and the others skip it without waiting,
    /// and a claim is granted only while none runs past `now`.
    public func claimWorkflows(of id: EventID, at now: Date, until leaseEnd: Date) async throws -> Bool {
        let now = now.timeIntervalSince1970
        return try await transaction { db in
            try await db.rows(
                """
                WITH claimable AS (
                    SELECT seq FROM events
                    WHERE id = \(id.rawValue) AND workflows_depth IS NOT NULL
                      AND (workflows_claimed_until IS NULL OR workflows_claimed_until <= \(now))
                    FOR UPDATE SKIP LOCKED
                )
                UPDATE events SET workflows_claimed_until = \(leaseEnd.timeIntervalSince1970)
                FROM claimable WHERE events.seq = claimable.seq
                RETURNING events.seq
                """
            ).count == 1
        }
    }

    public func finishWorkflows(of id: EventID) async throws {
        try await transaction { db in
            try await db.rows("UPDATE events SET workflows_depth = NULL, workflows_claimed_until = NULL WHERE id = \(id.rawValue)")
        }
    }

    // MARK: Workflow runs

    /// One transaction that starts with the run: its insert waits on the unique index for a
    /// concurrent recording of the same pair, from any sandbox, and stores nothing when that one
    /// committed. A refused action rolls the run back.
    public func recordWorkflowRun(_ run: StoredWorkflowRun, action: WorkflowRunAction?) async throws -> WorkflowRunRecording {
        do {
            return try await transaction { db in
                let inserted = try await db.rows(
                    """
                    INSERT INTO workflow_runs (id, organization, workflow_id, trigger_event_id, trigger_name, outcome, error,
                                               share_token_id, created_at)
                    VALUES (\(run.id.rawValue), \(run.organization.rawValue), \(run.workflowID), \(run.triggerEventID.rawValue),
                            \(run.triggerName.rawValue), \(run.outcome.rawValue), \(run.error), \(run.shareTokenID?.rawValue),
                            \(run.createdAt.timeIntervalSince1970))
                    ON CONFLICT (workflow_id, trigger_event_id) DO NOTHING
                    RETURNING seq
                    """)
                guard inserted.count == 1 else { return .alreadyRan }
                switch action {
                case .insertShareToken(let token, let events):
                    try await Self.insert(token, into: db)
                    try await Self.insert(events, into: db)
                case .replaceShareToken(let token, let expected, let events):
                    guard try await Self.replace(token, expecting: expected, in: db) else { throw WorkflowActionRefused() }
                    try await Self.insert(events, into: db)
                case nil:
                    break
                }
                return .recorded
            }
        } catch is WorkflowActionRefused {
            return .statusChanged
        }
    }

    /// Rolls back the transaction of a run whose action's share token changed status.
    private struct WorkflowActionRefused: Error {}

    public func workflowRuns(of organization: OrganizationID, after: WorkflowRunID?, limit: Int) async throws -> [StoredWorkflowRun] {
        try await rows(
            """
            SELECT * FROM workflow_runs
            WHERE organization = \(organization.rawValue)
              AND (\(after?.rawValue)::text IS NULL OR seq < (SELECT seq FROM workflow_runs WHERE id = \(after?.rawValue)))
            ORDER BY seq DESC LIMIT \(limit)
            """
        ).map(Self.workflowRun(from:))
    }

    // MARK: Rows

    private static func write(_ record: StoredRecord, into db: LeasedConnection, replacing: Bool) async throws {
        let attributes = String(decoding: try WireJSON.encode(record.attributes), as: UTF8.self)
        let values = (record.id.rawValue, record.organization.rawValue, attributes, record.createdAt.timeIntervalSince1970, record.sharedFrom?.rawValue)
        if replacing {
            try await db.rows(
                """
                INSERT INTO records (id, organization, attributes, created_at, shared_from)
                VALUES (\(values.0), \(values.1), \(values.2), \(values.3), \(values.4))
                ON CONFLICT (id) DO UPDATE SET organization = EXCLUDED.organization, attributes = EXCLUDED.attributes,
                    created_at = EXCLUDED.created_at, shared_from = EXCLUDED.shared_from
                """)
        } else {
            try await db.rows(
                """
                INSERT INTO records (id, organization, attributes, created_at, shared_from)
                VALUES (\(values.0), \(values.1), \(values.2), \(values.3), \(values.4))
                ON CONFLICT DO NOTHING
                """)
        }
    }

    private static func insert(_ connection: StoredConnection, into db: LeasedConnection, ignoringExisting: Bool) async throws {
        let lifecycle = connection.lifecycle
        let conflict: PostgresQuery = ignoringExisting ? " ON CONFLICT DO NOTHING" : ""
        var query: PostgresQuery = """
            INSERT INTO connections (id, source_organization, destination_organization, status, created_at, updated_at,
                                     activated_at, deactivated_at)
            VALUES (\(connection.id.rawValue), \(connection.sourceOrganization.rawValue), \(connection.destinationOrganization.rawValue),
                    \(connection.status.rawValue), \(lifecycle.createdAt.timeIntervalSince1970), \(lifecycle.updatedAt.timeIntervalSince1970),
                    \(lifecycle.activatedAt?.timeIntervalSince1970), \(lifecycle.deactivatedAt?.timeIntervalSince1970))
            """
        query.sql += conflict.sql
        try await db.rows(query)
    }

    private static func insert(_ events: [StoredEvent], into db: LeasedConnection) async throws {
        for event in events {
            try await db.rows(
                """
                INSERT INTO events (id, organization, name, created_at, resource, delivery_state, attempts, next_attempt_at, last_error,
                                    first_attempt_at, workflows_depth, workflows_claimed_until)
                VALUES (\(event.id.rawValue), \(event.organization.rawValue), \(event.name.rawValue), \(event.createdAt.timeIntervalSince1970),
                        \(Data(event.resource)), \(event.delivery.state.rawValue), \(event.delivery.attempts),
                        \(event.delivery.nextAttemptAt?.timeIntervalSince1970), \(event.delivery.lastError),
                        \(event.delivery.firstAttemptAt?.timeIntervalSince1970), \(event.pendingWorkflows?.depth),
                        \(event.pendingWorkflows?.claimedUntil?.timeIntervalSince1970))
                """)
        }
    }

    private static func identifier<ID: Identifier>(_ type: ID.Type, _ columns: PostgresColumns, _ name: String) throws -> ID {
        guard let id = ID(rawValue: try columns[name, as: String.self]) else { throw PostgresStoreCorruption(table: columns.table) }
        return id
    }

    private static func date(_ columns: PostgresColumns, _ name: String) throws -> Date? {
        try columns[name, as: Double?.self].map(Date.init(timeIntervalSince1970:))
    }

    private static func record(from row: PostgresRow) throws -> StoredRecord {
        let columns = PostgresColumns(row, table: "records")
        let attributes: String = try columns["attributes"]
        guard let decoded = try? WireJSON.decode([String: AttributeValue].self, from: Array(attributes.utf8)) else {
            throw PostgresStoreCorruption(table: "records")
        }
        return StoredRecord(
            id: try identifier(SourceID.self, columns, "id"),
            organization: try identifier(OrganizationID.self, columns, "organization"),
            attributes: decoded,
            createdAt: Date(timeIntervalSince1970: try columns["created_at"]),
            sharedFrom: try columns["shared_from", as: String?.self].flatMap(ShareTokenID.init(rawValue:)))
    }

    private static func shareToken(from row: PostgresRow) throws -> StoredShareToken {
        let columns = PostgresColumns(row, table: "share_tokens")
        guard let status = ShareTokenStatus(rawValue: try columns["status"]) else { throw PostgresStoreCorruption(table: "share_tokens") }
        let createdAt = Date(timeIntervalSince1970: try columns["created_at"])
        let creatorType: String? = try columns["creator_type"]
        let creatorID: String? = try columns["creator_id"]
        return StoredShareToken(
            id: try identifier(ShareTokenID.self, columns, "id"),
            connectionID: try identifier(ConnectionID.self, columns, "connection_id"),
            sourceOrganization: try identifier(OrganizationID.self, columns, "source_organization"),
            destinationOrganization: try identifier(OrganizationID.self, columns, "destination_organization"),
            sourceID: try identifier(SourceID.self, columns, "source_id"),
            destinationID: try columns["destination_id", as: String?.self].flatMap(SourceID.init(rawValue:)),
            creator: creatorType.flatMap { type in creatorID.map { JSONAPIResourceIdentifier(type: type, id: $0) } },
            lifecycle: ShareTokenLifecycle(
                restoring: status, createdAt: createdAt,
                updatedAt: try date(columns, "updated_at") ?? date(columns, "redeemed_at") ?? createdAt,
                expiresAt: Date(timeIntervalSince1970: try columns["expires_at"]), pendingAt: try date(columns, "pending_at"),
                redeemedAt: try date(columns, "redeemed_at"), failedAt: try date(columns, "failed_at"),
                failureReason: try columns["failure_reason"]))
    }

    private static func connection(from row: PostgresRow) throws -> StoredConnection {
        let columns = PostgresColumns(row, table: "connections")
        guard let status = ConnectConnectionStatus(rawValue: try columns["status"]) else { throw PostgresStoreCorruption(table: "connections") }
        return StoredConnection(
            id: try identifier(ConnectionID.self, columns, "id"),
            sourceOrganization: try identifier(OrganizationID.self, columns, "source_organization"),
            destinationOrganization: try identifier(OrganizationID.self, columns, "destination_organization"),
            lifecycle: ConnectConnectionLifecycle(
                status: status, createdAt: Date(timeIntervalSince1970: try columns["created_at"]),
                updatedAt: Date(timeIntervalSince1970: try columns["updated_at"]), activatedAt: try date(columns, "activated_at"),
                deactivatedAt: try date(columns, "deactivated_at")))
    }

    private static func event(from row: PostgresRow) throws -> StoredEvent {
        let columns = PostgresColumns(row, table: "events")
        guard let state = StoredEvent.DeliveryState(rawValue: try columns["delivery_state"]) else {
            throw PostgresStoreCorruption(table: "events")
        }
        return StoredEvent(
            id: try identifier(EventID.self, columns, "id"),
            organization: try identifier(OrganizationID.self, columns, "organization"),
            name: EventName(rawValue: try columns["name"]),
            createdAt: Date(timeIntervalSince1970: try columns["created_at"]),
            resource: Array(try columns["resource", as: Data.self]),
            delivery: StoredEvent.Delivery(
                state: state, attempts: try columns["attempts"], nextAttemptAt: try date(columns, "next_attempt_at"),
                lastError: try columns["last_error"], firstAttemptAt: try date(columns, "first_attempt_at")),
            pendingWorkflows: try columns["workflows_depth", as: Int?.self].map { depth in
                StoredEvent.PendingWorkflows(depth: depth, claimedUntil: try date(columns, "workflows_claimed_until"))
            })
    }

    private static func workflowRun(from row: PostgresRow) throws -> StoredWorkflowRun {
        let columns = PostgresColumns(row, table: "workflow_runs")
        guard let outcome = StoredWorkflowRun.Outcome(rawValue: try columns["outcome"]) else {
            throw PostgresStoreCorruption(table: "workflow_runs")
        }
        return StoredWorkflowRun(
            id: try identifier(WorkflowRunID.self, columns, "id"),
            organization: try identifier(OrganizationID.self, columns, "organization"),
            workflowID: try columns["workflow_id"],
            triggerEventID: try identifier(EventID.self, columns, "trigger_event_id"),
            triggerName: EventName(rawValue: try columns["trigger_name"]),
            outcome: outcome,
            error: try columns["error"],
            shareTokenID: try columns["share_token_id", as: String?.self].flatMap(ShareTokenID.init(rawValue:)),
            createdAt: Date(timeIntervalSince1970: try columns["created_at"]))
    }
}
