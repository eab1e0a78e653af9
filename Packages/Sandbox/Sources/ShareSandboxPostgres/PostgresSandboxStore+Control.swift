import Foundation
import PostgresNIO
import ShareSandbox
import ShareWire

// The SandboxControlStore half of SandboxStore (which refines it): the clock in the one-row
// table `sandbox_clock`, the faults in `sandbox_faults`. Every change notifies the channel
// `sharekit_control` in its transaction (delivered when it commits), which every sandbox on the
// database listens to (`watchControlChanges`).
extension PostgresSandboxStore {
    /// The channel of `NOTIFY` that tells the sandboxes to read the control state again.
    static let controlChannel = "sharekit_control"

    // MARK: Clock

    public func clockSetting() async throws -> SandboxClockSetting {
        try await rows("SELECT offset_seconds, version FROM sandbox_clock WHERE id = 1").first.map(Self.clockSetting(from:)) ?? .start
    }

    public func advanceClock(by seconds: Int, maximumOffset: Int) async throws -> SandboxClockSetting? {
        guard seconds > 0 else { return nil }
        return try await transaction { db in
            try await Self.ensureClockRow(in: db)
            // The row lock queues concurrent advances, from any sandbox: each adds to the offset
            // the one before it left, so all count and the offset never goes backwards.
            let rows = try await db.rows(
                """
                UPDATE sandbox_clock SET offset_seconds = offset_seconds + \(seconds), version = version + 1
                WHERE id = 1 AND offset_seconds <= \(maximumOffset - seconds)
                RETURNING offset_seconds, version
                """)
            guard let row = rows.first else { return nil }
            try await Self.notifyControlChange(in: db)
            return try Self.clockSetting(from: row)
        }
    }

    public func resetClock() async throws -> SandboxClockSetting {
        try await transaction { db in
            try await Self.resetClock(in: db)
        }
    }

    private static func resetClock(in db: LeasedConnection) async throws -> SandboxClockSetting {
        try await ensureClockRow(in: db)
        let rows = try await db.rows(
            "UPDATE sandbox_clock SET offset_seconds = 0, version = version + 1 WHERE id = 1 RETURNING offset_seconds, version")
        try await notifyControlChange(in: db)
        guard let row = rows.first else { throw PostgresStoreCorruption(table: "sandbox_clock") }
        return try clockSetting(from: row)
    }

    private static func ensureClockRow(in db: LeasedConnection) async throws {
        try await db.rows("INSERT INTO sandbox_clock (id, offset_seconds) VALUES (1, 0) ON CONFLICT (id) DO NOTHING")
    }

    private static func clockSetting(from row: PostgresRow) throws -> SandboxClockSetting {
        let columns = PostgresColumns(row, table: "sandbox_clock")
        return SandboxClockSetting(offsetSeconds: try columns["offset_seconds"], version: try columns["version"])
    }

    // MARK: Faults

    public func faults() async throws -> [SandboxFault] {
        try await rows("SELECT * FROM sandbox_faults WHERE remaining > 0 ORDER BY seq").map(Self.fault(from:))
    }

    public func addFault(_ fault: SandboxFault, maximumCount: Int) async throws -> Bool {
        let body = try fault.body.map { String(decoding: try WireJSON.encode($0), as: UTF8.self) }
        return try await transaction { db in
            // One count-and-insert at a time, from any sandbox, so the limit holds.
            try await db.lock("control", "faults")
            let counted = try await db.rows("SELECT count(*) AS count FROM sandbox_faults WHERE remaining > 0")
            let count: Int = try counted.first.map { try PostgresColumns($0, table: "sandbox_faults")["count"] } ?? 0
            guard count < maximumCount else { return false }
            try await db.rows(
                """
                INSERT INTO sandbox_faults (id, method, path, client_id, status, body, delay_ms, drop_connection, times, remaining)
                VALUES (\(fault.id), \(fault.method), \(fault.path), \(fault.clientID), \(fault.status), \(body),
                        \(fault.delayMilliseconds), \(fault.dropConnection), \(fault.times), \(fault.remaining))
                """)
            try await Self.notifyControlChange(in: db)
            return true
        }
    }

    public func removeFault(id: String) async throws -> SandboxFault? {
        try await transaction { db in
            let rows = try await db.rows("DELETE FROM sandbox_faults WHERE id = \(id) RETURNING *")
            if !rows.isEmpty { try await Self.notifyControlChange(in: db) }
            return try rows.first.map(Self.fault(from:)).flatMap { $0.remaining > 0 ? $0 : nil }
        }
    }

    public func removeAllFaults() async throws -> Int {
        try await transaction { db in
            let rows = try await db.rows("DELETE FROM sandbox_faults RETURNING remaining")
            if !rows.isEmpty { try await Self.notifyControlChange(in: db) }
            return try rows.filter { row in try PostgresColumns(row, table: "sandbox_faults")["remaining", as: Int.self] > 0 }.count
        }
    }

    public func countDownFault(id: String) async throws -> SandboxFault? {
        try await transaction { db in
            // The row lock makes concurrent countdowns, from any sandbox, take turns: exactly
            // `times` of them find something remaining.
            let rows = try await db.rows(
                "UPDATE sandbox_faults SET remaining = remaining - 1 WHERE id = \(id) AND remaining > 0 RETURNING *")
            guard let taken = try rows.first.map(Self.fault(from:)) else { return nil }
            if taken.remaining == 0 {
                try await db.rows("DELETE FROM sandbox_faults WHERE id = \(id)")
                try await Self.notifyControlChange(in: db)
            }
            return taken
        }
    }

    private static func fault(from row: PostgresRow) throws -> SandboxFault {
        let columns = PostgresColumns(row, table: "sandbox_faults")
        var body: JSONValue?
        if let text = try columns["body", as: String?.self] {
            guard let value = try? WireJSON.decode(JSONValue.self, from: Array(text.utf8)) else {
                throw PostgresStoreCorruption(table: "sandbox_faults")
            }
            body = value
        }
        var fault = SandboxFault(
            id: try columns["id"], method: try columns["method"], path: try columns["path"], clientID: try columns["client_id"],
            status: try columns["status"], body: body, delayMilliseconds: try columns["delay_ms"],
            dropConnection: try columns["drop_connection"], times: try columns["times"])
        fault.remaining = try columns["remaining"]
        return fault
    }

    // MARK: Sharing

    private static func notifyControlChange(in db: LeasedConnection) async throws {
        try await db.rows("SELECT pg_notify(\(controlChannel), '')")
    }

    /// Listens to `sharekit_control` on a connection of its own, outside the pool, calling
    /// `changed` on each notification; each time the connection is (re)established, once
    /// listening, `changed` is called too, so that a change notified while no connection
    /// listened is read all the same. A lost connection is opened again after a pause (from
    /// 50 ms, doubling up to 2 s). Returns when the task is cancelled.
    ///
    /// A connection that dies without the network telling (a host that vanished, a firewall that
    /// dropped the flow) would leave the sandbox deaf while it waits for notifications, so every
    /// ``listenerHeartbeat`` the connection must answer a statement within the same time — it
    /// listens again, which changes nothing — or it is closed and opened again.
    public func watchControlChanges(_ changed: @escaping @Sendable () async -> Void) async throws {
        var pause = Duration.milliseconds(50)
        var attempt = 0
        while !Task.isCancelled {
            attempt += 1
            do {
                let configuration = try location.connectionConfiguration(connectTimeout: .seconds(5))
                let connection = try await PostgresConnection.connect(configuration: configuration, id: attempt, logger: logger)
                let opened = ContinuousClock.now
                // A connection that served a while starts the pauses from the shortest again.
                defer { if ContinuousClock.now - opened > .seconds(2) { pause = .milliseconds(50) } }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        try await connection.listen(on: Self.controlChannel) { notifications in
                            await changed()
                            for try await _ in notifications { await changed() }
                        }
                    }
                    group.addTask { try await self.checkAnswers(connection) }
                    // Whichever ends first — the notifications, an unanswered heartbeat, or
                    // cancellation — ends this connection. It is closed before the group waits
                    // for the other: a listener that stops sends `UNLISTEN` and waits for its
                    // answer, which a silent connection never gives.
                    var ending: (any Error)?
                    do { try await group.next() } catch { ending = error }
                    group.cancelAll()
                    try? await connection.close()
                    if let ending { throw ending }
                }
            } catch {
                if Task.isCancelled { return }
                let reason = (error as? PSQLError).map(Self.reason) ?? (error as? PostgresStoreUnreachable)?.reason ?? "\(type(of: error))"
                logger.warning("listening for control-plane changes failed; trying again", metadata: ["reason": "\(reason)"])
            }
            if Task.isCancelled { return }
            try? await Task.sleep(for: pause)
            pause = min(pause * 2, .seconds(2))
        }
    }

    /// Every ``listenerHeartbeat``, `connection` must answer `LISTEN` (a no-op on a connection
    /// that listens already) within ``listenerHeartbeat``; throws ``PostgresStoreUnreachable``
    /// when it does not, after closing it, which ends a statement that waits forever.
    private func checkAnswers(_ connection: PostgresConnection) async throws {
        let heartbeat = listenerHeartbeat
        let location = location
        let logger = logger
        while true {
            try await Task.sleep(for: heartbeat)
            let answered = try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask {
                    try await connection.query(PostgresQuery(unsafeSQL: "LISTEN \(Self.controlChannel)"), logger: logger)
                    return true
                }
                group.addTask {
                    try await Task.sleep(for: heartbeat)
                    return false
                }
                let first = try await group.next() ?? false
                if !first { try? await connection.close() }
                group.cancelAll()
                return first
            }
            guard answered else {
                throw PostgresStoreUnreachable(location: location, reason: "the listening connection did not answer within \(heartbeat)")
            }
        }
    }

    // MARK: Reset

    public func eraseAll() async throws {
        try await transaction { db in
            for table in PostgresSchema.stateTables {
                try await db.rows(PostgresQuery(unsafeSQL: "DELETE FROM \(table)"))
            }
            _ = try await Self.resetClock(in: db)
        }
    }
}
