import Foundation
import GRDB
import ShareModels
import ShareSandbox
import ShareSandboxPostgres
import Testing

/// A database written before workflows ran once per event migrates: its events read as having
/// no workflow pending, a (workflow, event) pair stored twice keeps its first run, and the pair
/// is unique from then on.
@Suite("workflows once: existing databases migrate")
struct WorkflowMigrationTests {
    static let event = EventID(validated: "evt_1")

    /// What a store opened on the migrated database must show.
    static func checkMigrated(_ store: any SandboxStore) async throws {
        let stored = try #require(try await store.event(id: event))
        #expect(stored.pendingWorkflows == nil)
        #expect(try await store.eventsWithPendingWorkflows(claimableAt: .distantFuture, limit: 10).isEmpty)
        #expect(try await store.workflowRuns(of: StoreSamples.destination, after: nil, limit: 10).map(\.id.rawValue) == ["wfr_1"])
        var again = StoreSamples.workflowRun(1)
        again.id = WorkflowRunID(validated: "wfr_again")
        let recorded = try await store.recordWorkflowRun(again, action: nil)
        #expect(recorded == .alreadyRan)
    }

    @Test("SQLite")
    func sqlite() async throws {
        let folder = try PersistenceTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("old.sqlite").path
        do {
            let store = try SQLiteSandboxStore(path: path)
            try await store.saveRecord(StoreSamples.record("inq_1", of: StoreSamples.source), events: [StoreSamples.event(1, state: .delivered)])
        }
        // Back to the schema before the migration, with a pair stored twice.
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            try db.execute(
                sql: """
                    DROP INDEX workflow_runs_once;
                    DROP INDEX events_with_pending_workflows;
                    ALTER TABLE events DROP COLUMN workflows_depth;
                    ALTER TABLE events DROP COLUMN workflows_claimed_until;
                    DELETE FROM grdb_migrations WHERE identifier = 'share-tokens-v3-workflows-once';
                    """)
            for id in ["wfr_1", "wfr_2"] {
                try db.execute(
                    sql: """
                        INSERT INTO workflow_runs (id, organization, workflow_id, trigger_event_id, trigger_name, outcome, created_at)
                        VALUES (?, 'org_destination', 'wf-redeem', 'evt_1', 'share-token.created', 'failed', ?)
                        """,
                    arguments: [id, StoreSamples.epoch.timeIntervalSince1970])
            }
        }
        try queue.close()
        try await Self.checkMigrated(try SQLiteSandboxStore(path: path))
    }

    @Test("PostgreSQL", .enabled(if: PostgresTestDatabase.isConfigured, PostgresTestDatabase.skipReason))
    func postgres() async throws {
        try await PostgresTestDatabase.withDatabase { location in
            try await PostgresSandboxStore.withStore(location, connectTimeout: PostgresTestDatabase.migrationPatience, logger: PostgresTestDatabase.logger) { store async throws in
                try await store.saveRecord(StoreSamples.record("inq_1", of: StoreSamples.source), events: [StoreSamples.event(1, state: .delivered)])
            }
            for statement in [
                "DROP INDEX workflow_runs_once", "DROP INDEX events_with_pending_workflows",
                "ALTER TABLE events DROP COLUMN workflows_depth, DROP COLUMN workflows_claimed_until",
                "DELETE FROM sharekit_schema_migrations WHERE version = 3",
            ] + ["wfr_1", "wfr_2"].map({ id in
                """
                INSERT INTO workflow_runs (id, organization, workflow_id, trigger_event_id, trigger_name, outcome, created_at)
                VALUES ('\(id)', 'org_destination', 'wf-redeem', 'evt_1', 'share-token.created', 'failed', \(StoreSamples.epoch.timeIntervalSince1970))
                """
            }) {
                try await PostgresTestDatabase.administer(location, statement)
            }
            try await PostgresSandboxStore.withStore(location, connectTimeout: PostgresTestDatabase.migrationPatience, logger: PostgresTestDatabase.logger) { store async throws in
                #expect(try await store.appliedMigrations() == PostgresSandboxStore.schemaVersions)
                try await Self.checkMigrated(store)
            }
        }
    }
}
