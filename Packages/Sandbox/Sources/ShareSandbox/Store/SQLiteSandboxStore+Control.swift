import GRDB

// The SandboxControlStore half of SandboxStore (which refines it): the clock in the one-row
// table `sandbox_clock`; the faults in this process's memory (``SQLiteSandboxStore/faultTable``),
// as only one process uses the file.
extension SQLiteSandboxStore {
    public func clockSetting() async throws -> SandboxClockSetting {
        try await read { db in try Self.clockSetting(in: db) }
    }

    public func advanceClock(by seconds: Int, maximumOffset: Int) async throws -> SandboxClockSetting? {
        try await write { db in
            let current = try Self.clockSetting(in: db)
            guard seconds > 0, seconds <= maximumOffset - current.offsetSeconds else { return nil }
            return try Self.saveClock(SandboxClockSetting(offsetSeconds: current.offsetSeconds + seconds, version: current.version + 1), in: db)
        }
    }

    public func resetClock() async throws -> SandboxClockSetting {
        try await write { db in
            try Self.saveClock(SandboxClockSetting(offsetSeconds: 0, version: try Self.clockSetting(in: db).version + 1), in: db)
        }
    }

    public func faults() -> [SandboxFault] { faultTable.withLockedValue { $0.faults } }

    public func addFault(_ fault: SandboxFault, maximumCount: Int) -> Bool {
        faultTable.withLockedValue { table in
            guard table.faults.count < maximumCount else { return false }
            table.add(fault)
            return true
        }
    }

    public func removeFault(id: String) -> SandboxFault? { faultTable.withLockedValue { $0.remove(id: id) } }

    public func removeAllFaults() -> Int { faultTable.withLockedValue { $0.removeAll() } }

    public func countDownFault(id: String) -> SandboxFault? { faultTable.withLockedValue { $0.countDown(id: id) } }

    /// Only this process uses the store: nothing to watch.
    public func watchControlChanges(_ changed: @escaping @Sendable () async -> Void) {}

    public func eraseAll() async throws {
        try await write { db in
            for table in Self.erasedTables { try db.execute(sql: "DELETE FROM \(table)") }
            _ = try Self.saveClock(SandboxClockSetting(offsetSeconds: 0, version: try Self.clockSetting(in: db).version + 1), in: db)
        }
        faultTable.withLockedValue { _ = $0.removeAll() }
    }

    /// Every table of the sandbox's state; the clock is set back rather than deleted, so that
    /// its version keeps growing.
    static let erasedTables = [
        "tokens", "users", "clients", "share_tokens", "events", "workflow_runs", "records", "connections", "idempotent_answers",
    ]

    private static func clockSetting(in db: Database) throws -> SandboxClockSetting {
        guard let row = try Row.fetchOne(db, sql: "SELECT offset_seconds, version FROM sandbox_clock WHERE id = 1") else { return .start }
        return SandboxClockSetting(offsetSeconds: row["offset_seconds"], version: row["version"])
    }

    private static func saveClock(_ setting: SandboxClockSetting, in db: Database) throws -> SandboxClockSetting {
        try db.execute(
            sql: "INSERT OR REPLACE INTO sandbox_clock (id, offset_seconds, version) VALUES (1, ?, ?)",
            arguments: [setting.offsetSeconds, setting.version])
        return setting
    }
}
