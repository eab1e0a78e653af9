import GRDB

/// Retries a database access that SQLite refused for a passing locking condition: `SQLITE_BUSY`
/// and `SQLITE_LOCKED` past the busy timeout, and `SQLITE_PROTOCOL`, which a WAL reader can get
/// under heavy write load and which no busy timeout covers. Up to three more attempts, 1, 2 and
/// 4 ms apart; any other error, or the fourth failure, is thrown. A failed write transaction was
/// rolled back, so running it again is safe.
enum TransientSQLiteRetry {
    static let delays: [Duration] = [.milliseconds(1), .milliseconds(2), .milliseconds(4)]

    static func run<Value>(_ attempt: () async throws -> Value) async throws -> Value {
        for delay in delays {
            do {
                return try await attempt()
            } catch let error as DatabaseError where isTransient(error) {
                try await Task.sleep(for: delay)
            }
        }
        return try await attempt()
    }

    static func isTransient(_ error: DatabaseError) -> Bool {
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_PROTOCOL: true
        default: false
        }
    }
}
