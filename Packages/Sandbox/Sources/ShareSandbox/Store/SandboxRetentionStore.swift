import Foundation

/// A store that can forget what no longer matters (retention, docs/sandbox.md): every
/// ``SandboxStore`` is one, and ``SandboxRetentionTask`` calls it regularly.
///
/// What counts as finished, and from when:
///
/// - OAuth tokens go by family (``StoredToken/familyID``), all at once, when every token of the
///   family has ended (``StoredToken/endedAt``: revoked or expired) before the cutoff. A spent
///   refresh token therefore stays while a token derived from it is live, so that presenting it
///   again is still recognised as reuse and revokes the family, and revoking it still reaches
///   everything below it.
/// - Share tokens once redeemed, failed or expired before the cutoff
///   (``StoredShareToken/finishedAt``); one whose redemption is pending stays.
/// - Events created before the cutoff whose webhook delivery has ended (delivered or failed) or
///   was never requested, and whose workflows have all run (``StoredEvent/finishedAt``); a
///   pending delivery, or a workflow still pending, keeps its event.
/// - Workflow runs created before the cutoff (a run is stored when it has finished).
///
/// Clients, users, records and connections are kept. Saved `Idempotency-Key` answers already
/// expire on their own (``IdempotencyStore/saveIdempotentAnswer(_:pruningBefore:)``).
public protocol SandboxRetentionStore: Sendable {
    /// Deletes what finished before `cutoff` (see the protocol), a batch at a time: each step
    /// looks at no more than `batchSize` rows (or token families, of one token to a handful
    /// each) and holds the store's lock, or its write
    /// transaction, for that step only, so that requests are never kept waiting long. Answers
    /// how many rows of each kind it deleted. Running it again with the same cutoff deletes
    /// nothing more; several processes sharing a store may run it at once.
    func purge(finishedBefore cutoff: Date, batchSize: Int) async throws -> SandboxPurge
}
