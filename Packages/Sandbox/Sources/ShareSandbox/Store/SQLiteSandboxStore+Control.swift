import GRDB

// The SandboxControlStore half of SandboxStore (which refines it): the clock offset in the
// one-row table `sandbox_clock`.
extension SQLiteSandboxStore {
    public func clockOffset() async throws -> Int {
        try await read { db in try Int.fetchOne(db, sql: "SELECT offset_seconds FROM sandbox_clock WHERE id = 1") ?? 0 }
    }

    public func saveClockOffset(_ seconds: Int) async throws {
        try await write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO sandbox_clock (id, offset_seconds) VALUES (1, ?)", arguments: [seconds])
        }
    }

    public func eraseAll() async throws {
        try await write { db in
            for table in Self.erasedTables { try db.execute(sql: "DELETE FROM \(table)") }
        }
    }

    /// Every table of the sandbox's state.
    static let erasedTables = [
        "tokens", "users", "clients", "share_tokens", "events", "workflow_runs", "records", "connections", "idempotent_answers",
        "sandbox_clock",
    ]
}
