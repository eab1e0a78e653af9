import Foundation
import GRDB
import ShareModels

// The SandboxRetentionStore half of SandboxStore (which refines it). Each step reads the next
// keys to delete (a read, which in WAL mode never waits for the writer nor holds it up), then
// deletes the rows between them in one short write transaction that checks the condition again.
// Freed pages go to SQLite's free list and are reused by later inserts, so the file stops
// growing once purges keep pace with the load; it does not shrink (no VACUUM).
extension SQLiteSandboxStore {
    public func purge(finishedBefore cutoff: Date, batchSize: Int = 500) async throws -> SandboxPurge {
        let batch = max(1, batchSize)
        let seconds = cutoff.timeIntervalSince1970
        var purge = SandboxPurge()
        purge.tokens = try await purgeTokenFamilies(endedBefore: seconds, batch: batch)
        let terminal = [ShareTokenStatus.redeemed, .failed, .expired].map { "'\($0.rawValue)'" }.joined(separator: ", ")
        purge.shareTokens = try await purgeRows(
            of: "share_tokens",
            where: """
                ((status IN (\(terminal)) AND COALESCE(updated_at, redeemed_at, failed_at, expires_at) < :cutoff)
                 OR (status = '\(ShareTokenStatus.created.rawValue)' AND expires_at < :cutoff))
                """,
            cutoff: seconds, batch: batch)
        purge.events = try await purgeRows(
            of: "events",
            where: "delivery_state <> '\(StoredEvent.DeliveryState.pending.rawValue)' AND workflows_depth IS NULL AND created_at < :cutoff",
            cutoff: seconds, batch: batch)
        purge.workflowRuns = try await purgeRows(of: "workflow_runs", where: "created_at < :cutoff", cutoff: seconds, batch: batch)
        return purge
    }

    /// Deletes the rows of `table` matching `condition` (which reads `:cutoff`), in `seq` order,
    /// `batch` at a time; answers how many.
    private func purgeRows(of table: String, where condition: String, cutoff: Double, batch: Int) async throws -> Int {
        var after: Int64 = 0
        var total = 0
        while true {
            let first = after
            let keys = try await read { db in
                try Int64.fetchAll(
                    db, sql: "SELECT seq FROM \(table) WHERE seq > :after AND \(condition) ORDER BY seq LIMIT :limit",
                    arguments: ["after": first, "cutoff": cutoff, "limit": batch])
            }
            guard let last = keys.last else { return total }
            total += try await write { db in
                try db.execute(
                    sql: "DELETE FROM \(table) WHERE seq > :after AND seq <= :last AND \(condition)",
                    arguments: ["after": first, "last": last, "cutoff": cutoff])
                return db.changesCount
            }
            if keys.count < batch { return total }
            after = last
        }
    }

    /// Deletes the token families every member of which ended before `cutoff`, in `family_id`
    /// order, `batch` families at a time (a family is one token to a handful); answers how many
    /// tokens.
    private func purgeTokenFamilies(endedBefore cutoff: Double, batch: Int) async throws -> Int {
        let hasEnded = "HAVING MAX(MIN(COALESCE(revoked_at, expires_at), expires_at)) < :cutoff"
        var after = ""
        var total = 0
        while true {
            let first = after
            let families = try await read { db in
                try String.fetchAll(
                    db,
                    sql: """
                        SELECT family_id FROM tokens WHERE family_id > :after
                        GROUP BY family_id \(hasEnded) ORDER BY family_id LIMIT :limit
                        """,
                    arguments: ["after": first, "cutoff": cutoff, "limit": batch])
            }
            guard let last = families.last else { return total }
            total += try await write { db in
                try db.execute(
                    sql: """
                        DELETE FROM tokens WHERE family_id > :after AND family_id <= :last AND family_id IN (
                            SELECT family_id FROM tokens WHERE family_id > :after AND family_id <= :last GROUP BY family_id \(hasEnded))
                        """,
                    arguments: ["after": first, "last": last, "cutoff": cutoff])
                return db.changesCount
            }
            if families.count < batch { return total }
            after = last
        }
    }
}
