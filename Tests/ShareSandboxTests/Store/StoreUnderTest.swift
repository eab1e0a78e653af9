import Foundation
import ShareSandbox
import ShareSandboxPostgres

/// A store the store suite (``StoreContract``) runs on, with the idempotency store the sandbox
/// pairs with it.
enum StoreUnderTest: String, CaseIterable, Sendable, CustomStringConvertible {
    case memory, sqlite, postgres

    var description: String { rawValue }

    /// Runs `body` with a new, empty store of this kind: SQLite in a temporary folder, PostgreSQL
    /// in a database of its own on the test server (``PostgresTestDatabase``).
    func withStore(_ body: @Sendable (any SandboxStore, any IdempotencyStore) async throws -> Void) async throws {
        switch self {
        case .memory:
            try await body(InMemorySandboxStore(), InMemoryIdempotencyStore())
        case .sqlite:
            let folder = try PersistenceTests.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: folder) }
            let store = try SQLiteSandboxStore(path: folder.appendingPathComponent("contract.sqlite").path)
            try await body(store, store)
        case .postgres:
            try await PostgresTestDatabase.withStore { store in try await body(store, store) }
        }
    }
}
