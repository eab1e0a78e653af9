import ShareModels

/// Lets one request at a time run for each `Idempotency-Key` of an organization: a second
/// request with the same key waits for the first to be answered (and its answer saved), then
/// gets that answer. Sending the same key twice at once therefore creates one resource.
actor IdempotencyGate {
    struct Scope: Hashable, Sendable {
        var organization: OrganizationID
        var key: String
    }

    private var held: Set<Scope> = []
    private var waiting: [Scope: [CheckedContinuation<Void, Never>]] = [:]

    /// Runs `body` once no other request with `scope` is running.
    nonisolated func serialize<Value: Sendable>(_ scope: Scope, _ body: () async throws -> Value) async throws -> Value {
        await acquire(scope)
        do {
            let value = try await body()
            await release(scope)
            return value
        } catch {
            await release(scope)
            throw error
        }
    }

    private func acquire(_ scope: Scope) async {
        while held.contains(scope) {
            await withCheckedContinuation { waiting[scope, default: []].append($0) }
        }
        held.insert(scope)
    }

    private func release(_ scope: Scope) {
        held.remove(scope)
        guard var waiters = waiting[scope], !waiters.isEmpty else { return }
        let first = waiters.removeFirst()
        waiting[scope] = waiters.isEmpty ? nil : waiters
        first.resume()
    }
}
