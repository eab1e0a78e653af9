import Foundation
import GRDB
import Synchronization
import Testing

@testable import ShareSandbox

@Suite("SQLite store: passing locking conditions")
struct TransientSQLiteRetryTests {
    @Test("busy, locked and protocol errors are retried until an attempt succeeds")
    func transientErrorsAreRetried() async throws {
        for code in [ResultCode.SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_PROTOCOL] {
            var attempts = 0
            let value = try await TransientSQLiteRetry.run {
                attempts += 1
                if attempts < 3 { throw DatabaseError(resultCode: code) }
                return 42
            }
            #expect(value == 42)
            #expect(attempts == 3, "\(code)")
        }
    }

    @Test("other errors are thrown at once, and a lasting lock after four attempts")
    func otherErrorsAreThrown() async throws {
        var attempts = 0
        await #expect(throws: DatabaseError.self) {
            try await TransientSQLiteRetry.run {
                attempts += 1
                throw DatabaseError(resultCode: .SQLITE_CONSTRAINT)
            }
        }
        #expect(attempts == 1)
        attempts = 0
        await #expect(throws: DatabaseError.self) {
            try await TransientSQLiteRetry.run {
                attempts += 1
                throw DatabaseError(resultCode: .SQLITE_BUSY)
            }
        }
        #expect(attempts == 4)
    }

    @Test("a write waits for a lock another connection holds instead of failing")
    func writesWaitForALock() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-lock-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let store = try SQLiteSandboxStore(path: path)
        let other = try DatabaseQueue(path: path)
        let (locked, lockedContinuation) = AsyncStream.makeStream(of: Void.self)
        let (released, releasedContinuation) = AsyncStream.makeStream(of: Result<Void, any Error>.self)
        let writeStarted = DispatchSemaphore(value: 0)
        let committed = Mutex(false)
        // A thread of its own holds the lock, so blocking it never starves the test's executor.
        Thread.detachNewThread {
            let result = Result {
                try other.inDatabase { db in
                    try db.execute(sql: "BEGIN IMMEDIATE")
                    lockedContinuation.yield()
                    // Hold the lock until the write has been started, and a while longer.
                    writeStarted.wait()
                    Thread.sleep(forTimeInterval: 0.2)
                    committed.withLock { $0 = true }
                    try db.execute(sql: "COMMIT")
                }
            }
            releasedContinuation.yield(result)
        }
        var lockedIterator = locked.makeAsyncIterator()
        _ = await lockedIterator.next()
        writeStarted.signal()
        #expect(try await store.revokeTree(from: TokenDigest(of: "pda-no-such-token"), at: 0) == 0)
        // The write can only finish once the other connection lets go of its lock, so it waited
        // (a store that failed on the lock would have thrown above).
        #expect(committed.withLock { $0 }, "the write finished only after the other connection committed")
        var releasedIterator = released.makeAsyncIterator()
        try await releasedIterator.next()?.get()
    }

    @Test("an unexpected database error is logged by its SQLite code, never its message")
    func failureMetadata() {
        let metadata = UnexpectedFailure.metadata(for: DatabaseError(resultCode: .SQLITE_BUSY, message: "near pda-token-value"))
        #expect(metadata["sqlite.code"] == "5")
        #expect(metadata["error.type"] != nil)
        #expect(!"\(metadata)".contains("pda-token-value"))
        #expect(UnexpectedFailure.metadata(for: CancellationError())["sqlite.code"] == nil)
    }
}
