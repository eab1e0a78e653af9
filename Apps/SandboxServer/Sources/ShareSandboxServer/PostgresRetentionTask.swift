import Foundation
import Logging
import ShareSandbox
import ShareSandboxPostgres

/// `share-sandbox --retention SECONDS`: purges the PostgreSQL store of what finished more than
/// `retentionSeconds` ago (``PostgresSandboxStore/purge(finishedBefore:batchSize:)``), at start
/// and then every tenth of the retention (at least every second, at most every hour), until
/// cancelled. Every sandbox on the database may run it: the deletions are idempotent.
struct PostgresRetentionTask: Sendable {
    let store: PostgresSandboxStore
    let retentionSeconds: Int
    let clock: SandboxClock
    let logger: Logger
    /// Rows per delete statement.
    var batchSize = 500

    /// Time between two purges.
    var interval: Duration { .seconds(min(max(retentionSeconds / 10, 1), 3600)) }

    func run() async {
        while !Task.isCancelled {
            do {
                let cutoff = clock.now().addingTimeInterval(-TimeInterval(retentionSeconds))
                let purge = try await store.purge(finishedBefore: cutoff, batchSize: batchSize)
                if purge != PostgresPurge() {
                    logger.info(
                        "retention purge",
                        metadata: ["tokens": "\(purge.tokens)", "share_tokens": "\(purge.shareTokens)", "events": "\(purge.events)"])
                }
            } catch is CancellationError {
                return
            } catch {
                logger.error("retention purge failed", metadata: ["error.type": "\(type(of: error))"])
            }
            try? await Task.sleep(for: interval)
        }
    }
}
