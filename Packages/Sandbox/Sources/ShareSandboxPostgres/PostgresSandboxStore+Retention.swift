import Foundation
import PostgresNIO
import ShareModels
import ShareSandbox

// The SandboxRetentionStore half of SandboxStore (which refines it). Each step reads the next
// keys to delete, then deletes the rows between them in one statement that checks the condition
// again, so that no statement holds row locks for long. Deleted rows' space is reused by later
// inserts once autovacuum has passed.
extension PostgresSandboxStore {
    public func purge(finishedBefore cutoff: Date, batchSize: Int = 500) async throws -> SandboxPurge {
        let batch = max(1, batchSize)
        let c = cutoff.timeIntervalSince1970
        let (created, pending) = (ShareTokenStatus.created.rawValue, StoredEvent.DeliveryState.pending.rawValue)
        let terminal = [ShareTokenStatus.redeemed, .failed, .expired].map(\.rawValue)
        var purge = SandboxPurge()
        purge.tokens = try await purgeTokenFamilies(endedBefore: c, batch: batch)
        purge.shareTokens = try await purgeRows(batch: batch) { after, limit in
            """
            SELECT seq FROM share_tokens WHERE seq > \(after)
              AND ((status = ANY(\(terminal)) AND COALESCE(updated_at, redeemed_at, failed_at, expires_at) < \(c))
                   OR (status = \(created) AND expires_at < \(c)))
            ORDER BY seq LIMIT \(limit)
            """
        } delete: { after, last in
            """
            DELETE FROM share_tokens WHERE seq > \(after) AND seq <= \(last)
              AND ((status = ANY(\(terminal)) AND COALESCE(updated_at, redeemed_at, failed_at, expires_at) < \(c))
                   OR (status = \(created) AND expires_at < \(c)))
            RETURNING seq
            """
        }
        purge.events = try await purgeRows(batch: batch) { after, limit in
            """
            SELECT seq FROM events WHERE seq > \(after) AND delivery_state <> \(pending) AND workflows_depth IS NULL AND created_at < \(c)
            ORDER BY seq LIMIT \(limit)
            """
        } delete: { after, last in
            """
            DELETE FROM events WHERE seq > \(after) AND seq <= \(last) AND delivery_state <> \(pending) AND workflows_depth IS NULL
              AND created_at < \(c)
            RETURNING seq
            """
        }
        purge.workflowRuns = try await purgeRows(batch: batch) { after, limit in
            "SELECT seq FROM workflow_runs WHERE seq > \(after) AND created_at < \(c) ORDER BY seq LIMIT \(limit)"
        } delete: { after, last in
            "DELETE FROM workflow_runs WHERE seq > \(after) AND seq <= \(last) AND created_at < \(c) RETURNING seq"
        }
        return purge
    }

    /// Reads the next `batch` keys with `select(after, limit)` and deletes with
    /// `delete(after, last)`, until a read finds fewer than `batch`; answers how many rows went.
    private func purgeRows(
        batch: Int, select: (Int64, Int) -> PostgresQuery, delete: (Int64, Int64) -> PostgresQuery
    ) async throws -> Int {
        var after: Int64 = 0
        var total = 0
        while true {
            let keys = try await rows(select(after, batch)).map { try PostgresColumns($0, table: "retention")["seq", as: Int64.self] }
            guard let last = keys.last else { return total }
            total += try await rows(delete(after, last)).count
            if keys.count < batch { return total }
            after = last
        }
    }

    /// Deletes the token families every member of which ended before `cutoff`, in `family_id`
    /// order, `batch` families at a time; answers how many tokens. A family that has ended gains
    /// no member (a token derives only from a usable one, under the family's lock).
    private func purgeTokenFamilies(endedBefore cutoff: Double, batch: Int) async throws -> Int {
        var after = ""
        var total = 0
        while true {
            let families = try await rows(
                """
                SELECT family_id FROM tokens WHERE family_id > \(after) GROUP BY family_id
                HAVING MAX(LEAST(COALESCE(revoked_at, expires_at), expires_at)) < \(cutoff)
                ORDER BY family_id LIMIT \(batch)
                """
            ).map { try PostgresColumns($0, table: "tokens")["family_id", as: String.self] }
            guard let last = families.last else { return total }
            total += try await rows(
                """
                DELETE FROM tokens WHERE family_id > \(after) AND family_id <= \(last) AND family_id IN (
                    SELECT family_id FROM tokens WHERE family_id > \(after) AND family_id <= \(last) GROUP BY family_id
                    HAVING MAX(LEAST(COALESCE(revoked_at, expires_at), expires_at)) < \(cutoff))
                RETURNING digest
                """
            ).count
            if families.count < batch { return total }
            after = last
        }
    }
}
