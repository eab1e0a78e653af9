import Foundation
import PostgresNIO
import ShareModels
import ShareSandbox

// Retention: what is finished and older than the cutoff leaves the database, a batch at a time.
extension PostgresSandboxStore {
    /// Deletes, in batches of at most `batchSize` rows (each its own statement, so no lock is
    /// held long): OAuth tokens revoked or expired before `cutoff`, share tokens redeemed or
    /// failed before it or expired before it, and events created before it whose delivery
    /// ended. Pending share tokens and deliveries, and live tokens, are kept whatever their age.
    public func purge(finishedBefore cutoff: Date, batchSize: Int = 500) async throws -> PostgresPurge {
        let seconds = cutoff.timeIntervalSince1970
        let whole = Int(seconds.rounded(.down))
        let batch = max(1, batchSize)
        var purge = PostgresPurge()
        purge.tokens = try await deleteInBatches(of: batch) {
            """
            DELETE FROM tokens WHERE digest IN (
                SELECT digest FROM tokens WHERE (revoked_at IS NOT NULL AND revoked_at < \(whole)) OR expires_at < \(whole)
                LIMIT \(batch)
            ) RETURNING digest
            """
        }
        purge.shareTokens = try await deleteInBatches(of: batch) {
            """
            DELETE FROM share_tokens WHERE seq IN (
                SELECT seq FROM share_tokens
                WHERE (status IN (\(ShareTokenStatus.redeemed.rawValue), \(ShareTokenStatus.failed.rawValue))
                       AND COALESCE(updated_at, redeemed_at, failed_at, created_at) < \(seconds))
                   OR (status IN (\(ShareTokenStatus.created.rawValue), \(ShareTokenStatus.expired.rawValue)) AND expires_at < \(seconds))
                LIMIT \(batch)
            ) RETURNING seq
            """
        }
        purge.events = try await deleteInBatches(of: batch) {
            """
            DELETE FROM events WHERE seq IN (
                SELECT seq FROM events
                WHERE delivery_state IN (\(StoredEvent.DeliveryState.delivered.rawValue), \(StoredEvent.DeliveryState.failed.rawValue),
                                         \(StoredEvent.DeliveryState.notRequested.rawValue))
                  AND created_at < \(seconds)
                LIMIT \(batch)
            ) RETURNING seq
            """
        }
        return purge
    }

    /// Runs the deletion `query` until a run deletes fewer than `batch` rows; answers how many it deleted.
    private func deleteInBatches(of batch: Int, _ query: () -> PostgresQuery) async throws -> Int {
        var total = 0
        while true {
            let deleted = try await rows(query()).count
            total += deleted
            if deleted < batch { return total }
        }
    }
}
