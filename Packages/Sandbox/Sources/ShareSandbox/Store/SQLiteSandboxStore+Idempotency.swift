import Foundation
import GRDB
import ShareModels

extension SQLiteSandboxStore: IdempotencyStore {
    public func idempotentAnswer(organization: OrganizationID, key: String) async throws -> IdempotentAnswer? {
        try await read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM idempotent_answers WHERE organization = ? AND key = ?", arguments: [organization.rawValue, key]
            ).map { row in
                IdempotentAnswer(
                    organization: organization, key: key, fingerprint: row["fingerprint"], status: row["status"],
                    contentType: row["content_type"], location: row["location"], body: Array(row["body"] as Data),
                    createdAt: Date(timeIntervalSince1970: row["created_at"]))
            }
        }
    }

    public func saveIdempotentAnswer(_ answer: IdempotentAnswer, pruningBefore cutoff: Date) async throws {
        try await write { db in
            try db.execute(sql: "DELETE FROM idempotent_answers WHERE created_at < ?", arguments: [cutoff.timeIntervalSince1970])
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO idempotent_answers
                        (organization, key, fingerprint, status, content_type, location, body, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    answer.organization.rawValue, answer.key, answer.fingerprint, answer.status, answer.contentType, answer.location,
                    Data(answer.body), answer.createdAt.timeIntervalSince1970,
                ])
        }
    }

    public func removeAllAnswers() async throws {
        try await write { db in try db.execute(sql: "DELETE FROM idempotent_answers") }
    }
}
