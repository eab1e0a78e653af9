import Foundation
import PostgresNIO
import ShareModels
import ShareSandbox

// The IdempotencyStore conformance: the table `idempotent_answers`, keyed by organization and key.
extension PostgresSandboxStore {
    public func idempotentAnswer(organization: OrganizationID, key: String) async throws -> IdempotentAnswer? {
        try await rows("SELECT * FROM idempotent_answers WHERE organization = \(organization.rawValue) AND key = \(key)").first.map { row in
            let columns = PostgresColumns(row, table: "idempotent_answers")
            return IdempotentAnswer(
                organization: organization, key: key, fingerprint: try columns["fingerprint"], status: try columns["status"],
                contentType: try columns["content_type"], location: try columns["location"],
                body: Array(try columns["body", as: Data.self]),
                createdAt: Date(timeIntervalSince1970: try columns["created_at"]))
        }
    }

    public func saveIdempotentAnswer(_ answer: IdempotentAnswer, pruningBefore cutoff: Date) async throws {
        try await transaction { db in
            try await db.rows("DELETE FROM idempotent_answers WHERE created_at < \(cutoff.timeIntervalSince1970)")
            try await db.rows(
                """
                INSERT INTO idempotent_answers (organization, key, fingerprint, status, content_type, location, body, created_at)
                VALUES (\(answer.organization.rawValue), \(answer.key), \(answer.fingerprint), \(answer.status), \(answer.contentType),
                        \(answer.location), \(Data(answer.body)), \(answer.createdAt.timeIntervalSince1970))
                ON CONFLICT (organization, key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, status = EXCLUDED.status,
                    content_type = EXCLUDED.content_type, location = EXCLUDED.location, body = EXCLUDED.body,
                    created_at = EXCLUDED.created_at
                """)
        }
    }

    public func removeAllAnswers() async throws {
        try await transaction { db in try await db.rows("DELETE FROM idempotent_answers") }
    }

    /// Runs `body` holding the session advisory lock of `key` of `organization` on a connection
    /// of its own, so that sandboxes sharing the database run one request per key at a time; the
    /// lock ends with `body`, or with the connection if the process stops.
    public func holdingKey<Value: Sendable>(
        organization: OrganizationID, key: String, _ body: () async throws -> Value
    ) async throws -> Value {
        let name = "idempotency:" + organization.rawValue + ":" + key
        return try await keyLocks.withConnection { connection in
            let session = LeasedConnection(connection: connection, statements: statements, logger: logger)
            try await session.rows("SELECT pg_advisory_lock(hashtextextended(\(name), 0))")
            do {
                let value = try await body()
                try await session.rows("SELECT pg_advisory_unlock(hashtextextended(\(name), 0))")
                return value
            } catch {
                _ = try? await session.rows("SELECT pg_advisory_unlock(hashtextextended(\(name), 0))")
                throw error
            }
        }
    }
}
