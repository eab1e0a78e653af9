import GRDB
import ShareModels

extension SQLiteSandboxStore {
    public func insertRecordIfAbsent(_ record: StoredRecord) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO records (id, organization, attributes) VALUES (?, ?, ?)",
                arguments: [record.id, record.organization, record.attributesJSON])
        }
    }

    public func record(id: String) async throws -> StoredRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM records WHERE id = ?", arguments: [id]).map {
                StoredRecord(id: $0["id"], organization: $0["organization"], attributesJSON: $0["attributes"])
            }
        }
    }

    public func insertShareToken(_ token: StoredShareToken, events: [StoredEvent]) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO share_tokens (id, connection_id, source_organization, destination_organization, source_id,
                                              destination_id, status, created_at, expires_at, redeemed_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    token.id, token.connectionID, token.sourceOrganization, token.destinationOrganization, token.sourceID,
                    token.destinationID, token.status.rawValue, token.createdAt, token.expiresAt, token.redeemedAt,
                ])
            try Self.insert(events, into: db)
        }
    }

    public func shareToken(id: String) async throws -> StoredShareToken? {
        try await pool.read { db in try Self.fetchShareToken(id, from: db) }
    }

    public func shareTokens(_ query: ShareTokenQuery) async throws -> [StoredShareToken] {
        try await pool.read { db in
            var sql = "SELECT * FROM share_tokens WHERE (source_organization = ? OR destination_organization = ?)"
            var arguments: StatementArguments = [query.organization, query.organization]
            if let after = query.after {
                sql += " AND seq > COALESCE((SELECT seq FROM share_tokens WHERE id = ?), 9223372036854775807)"
                _ = arguments.append(contentsOf: [after])
            }
            if let connectionID = query.connectionID {
                sql += " AND connection_id = ?"
                _ = arguments.append(contentsOf: [connectionID])
            }
            switch query.direction {
            case .outbound?:
                sql += " AND source_organization = ?"
                _ = arguments.append(contentsOf: [query.organization])
            case .inbound?:
                sql += " AND destination_organization = ?"
                _ = arguments.append(contentsOf: [query.organization])
            case nil:
                break
            }
            if let status = query.status {
                sql += " AND (CASE WHEN status = 'created' AND expires_at <= ? THEN 'expired' ELSE status END) = ?"
                _ = arguments.append(contentsOf: [query.now, status.rawValue])
            }
            sql += " ORDER BY seq LIMIT ?"
            _ = arguments.append(contentsOf: [query.limit])
            return try Row.fetchAll(db, sql: sql, arguments: arguments).compactMap(Self.shareToken(from:))
        }
    }

    public func redeemShareToken(
        id: String, destination: StoredRecord, at now: Int, makeEvents: @Sendable (StoredShareToken) -> [StoredEvent]
    ) async throws -> ShareTokenTransition {
        try await pool.write { db in
            guard var token = try Self.fetchShareToken(id, from: db) else { return .unknown }
            let status = token.effectiveStatus(at: now)
            guard status == .created else { return .refused(status) }
            try db.execute(
                sql: "INSERT OR REPLACE INTO records (id, organization, attributes) VALUES (?, ?, ?)",
                arguments: [destination.id, destination.organization, destination.attributesJSON])
            token.status = .redeemed
            token.destinationID = destination.id
            token.redeemedAt = now
            try db.execute(
                sql: "UPDATE share_tokens SET status = 'redeemed', destination_id = ?, redeemed_at = ? WHERE id = ?",
                arguments: [destination.id, now, id])
            try Self.insert(makeEvents(token), into: db)
            return .done(token)
        }
    }

    public func expireShareToken(id: String, at now: Int) async throws -> ShareTokenTransition {
        try await pool.write { db in
            guard var token = try Self.fetchShareToken(id, from: db) else { return .unknown }
            guard token.status == .created else { return .refused(token.status) }
            token.status = .expired
            token.expiresAt = min(token.expiresAt, now)
            try db.execute(
                sql: "UPDATE share_tokens SET status = 'expired', expires_at = ? WHERE id = ?", arguments: [token.expiresAt, id])
            return .done(token)
        }
    }

    public func events(organization: String, after: String?, limit: Int) async throws -> [StoredEvent] {
        try await pool.read { db in
            var sql = "SELECT * FROM events WHERE organization = ?"
            var arguments: StatementArguments = [organization]
            if let after {
                sql += " AND seq > COALESCE((SELECT seq FROM events WHERE id = ?), 9223372036854775807)"
                _ = arguments.append(contentsOf: [after])
            }
            sql += " ORDER BY seq LIMIT ?"
            _ = arguments.append(contentsOf: [limit])
            return try Row.fetchAll(db, sql: sql, arguments: arguments).compactMap(Self.event(from:))
        }
    }

    public func dueDeliveries(at now: Int, limit: Int) async throws -> [StoredEvent] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM events WHERE delivery = 'pending' AND next_attempt_at <= ? ORDER BY seq LIMIT ?",
                arguments: [now, limit]
            ).compactMap(Self.event(from:))
        }
    }

    public func recordDeliveryAttempt(eventID: String, delivery: StoredEvent.Delivery, attempts: Int, nextAttemptAt: Int) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE events SET delivery = ?, attempts = ?, next_attempt_at = ? WHERE id = ?",
                arguments: [delivery.rawValue, attempts, nextAttemptAt, eventID])
        }
    }

    private static func insert(_ events: [StoredEvent], into db: Database) throws {
        for event in events {
            try db.execute(
                sql: """
                    INSERT INTO events (id, organization, name, created_at, resource, delivery, attempts, next_attempt_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    event.id, event.organization, event.name, event.createdAt, event.resourceJSON, event.delivery.rawValue,
                    event.attempts, event.nextAttemptAt,
                ])
        }
    }

    private static func fetchShareToken(_ id: String, from db: Database) throws -> StoredShareToken? {
        try Row.fetchOne(db, sql: "SELECT * FROM share_tokens WHERE id = ?", arguments: [id]).flatMap(shareToken(from:))
    }

    private static func shareToken(from row: Row) -> StoredShareToken? {
        guard let status = ShareTokenStatus(rawValue: row["status"]) else { return nil }
        return StoredShareToken(
            id: row["id"], connectionID: row["connection_id"], sourceOrganization: row["source_organization"],
            destinationOrganization: row["destination_organization"], sourceID: row["source_id"],
            destinationID: row["destination_id"], status: status, createdAt: row["created_at"], expiresAt: row["expires_at"],
            redeemedAt: row["redeemed_at"])
    }

    private static func event(from row: Row) -> StoredEvent? {
        guard let delivery = StoredEvent.Delivery(rawValue: row["delivery"]) else { return nil }
        return StoredEvent(
            id: row["id"], organization: row["organization"], name: row["name"], createdAt: row["created_at"],
            resourceJSON: row["resource"], delivery: delivery, attempts: row["attempts"], nextAttemptAt: row["next_attempt_at"])
    }
}
