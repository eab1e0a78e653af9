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
    /// Runs `body` (the look-up of the saved answer, the request and the saving of its answer)
    /// while no other process sharing the store runs one for `key` of `organization`, so that a
    /// key sent to several sandboxes at once creates one resource. Within one process the
    /// sandbox already runs one request per key at a time.
    ///
    /// A store that one process owns runs `body` at once (the default implementation).
    func holdingKey<Value: Sendable>(
        organization: OrganizationID, key: String, _ body: () async throws -> Value
    ) async throws -> Value
}

extension IdempotencyStore {
    /// Runs `body` at once: the store belongs to one process, whose requests per key the sandbox
    /// already runs one at a time.
    public func holdingKey<Value: Sendable>(
        organization: OrganizationID, key: String, _ body: () async throws -> Value
    ) async throws -> Value {
        try await body()
    }
}
