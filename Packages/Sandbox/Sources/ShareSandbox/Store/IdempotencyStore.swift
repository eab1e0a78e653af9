import Foundation
import ShareModels

/// Where the answers saved for `Idempotency-Key`s live: in memory (``InMemoryIdempotencyStore``)
/// or in the SQLite file of `--data` (``SQLiteSandboxStore``), so that a retry after a restart
/// still gets the saved answer.
public protocol IdempotencyStore: Sendable {
    /// The answer saved for `key` of `organization`, or `nil`.
    func idempotentAnswer(organization: OrganizationID, key: String) async throws -> IdempotentAnswer?
    /// Saves `answer` (replacing an expired one with its key) and drops every answer created
    /// before `cutoff`.
    func saveIdempotentAnswer(_ answer: IdempotentAnswer, pruningBefore cutoff: Date) async throws
    /// Drops every saved answer (`POST /sandbox/reset`).
    func removeAllAnswers() async throws
}
