import PostgresNIO
import ShareSandbox

// The SandboxControlStore half of SandboxStore (which refines it): the clock offset in the
// one-row table `sandbox_clock`.
extension PostgresSandboxStore {
    public func clockOffset() async throws -> Int {
        try await rows("SELECT offset_seconds FROM sandbox_clock WHERE id = 1").first.map { row in
            try PostgresColumns(row, table: "sandbox_clock")["offset_seconds"]
        } ?? 0
    }

    public func saveClockOffset(_ seconds: Int) async throws {
        try await transaction { db in
            try await db.rows(
                """
                INSERT INTO sandbox_clock (id, offset_seconds) VALUES (1, \(seconds))
                ON CONFLICT (id) DO UPDATE SET offset_seconds = EXCLUDED.offset_seconds
                """)
        }
    }

    public func eraseAll() async throws {
        try await transaction { db in
            for table in PostgresSchema.stateTables {
                try await db.rows(PostgresQuery(unsafeSQL: "DELETE FROM \(table)"))
            }
        }
    }
}
