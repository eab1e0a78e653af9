import Foundation
import PostgresNIO
@testable import ShareSandboxPostgres
import Testing

/// `PostgresDedicatedConnection.run` answers every statement: with the statement's own result,
/// or — when the connection closes first, including the case postgres-nio never answers (a
/// statement written to a connection as it closes) — with `PostgresStoreUnreachable`, so that the
/// lookups queued behind it go on.
@Suite("PostgreSQL: the lookups' own connection", .enabled(if: PostgresTestDatabase.isConfigured, PostgresTestDatabase.skipReason))
struct PostgresDedicatedConnectionTests {
    @Test("a statement answers as usual; one sent as its connection closes fails at once instead of never; the next opens a new connection")
    func closingConnection() async throws {
        try await PostgresTestDatabase.withDatabase { location in
            let watch = PostgresClosingConnectionWatch(
                closedError: PostgresStoreUnreachable(location: location, reason: "the connection closed before the statement was answered"))
            let dedicated = PostgresDedicatedConnection(location: location, watch: watch, logger: PostgresTestDatabase.logger)
            let one = try await dedicated.run { connection in
                try await connection.query("SELECT 1::bigint", logger: PostgresTestDatabase.logger).collect().first?.decode(Int64.self)
            }
            #expect(one == 1)

            // The statement closes its own connection, then sends a query on it: postgres-nio
            // drops that query, and without the watch on the connection's close the caller
            // would wait forever.
            let first = try await dedicated.connection()
            await #expect(throws: PostgresStoreUnreachable.self) {
                try await dedicated.run({ connection in
                    try await connection.close()
                    return try await connection.query("SELECT 2", logger: PostgresTestDatabase.logger).collect().count
                }, on: first)
            }
            // A connection already closed is refused before anything is sent.
            await #expect(throws: PostgresStoreUnreachable.self) {
                try await dedicated.run({ connection in try await connection.query("SELECT 3", logger: PostgresTestDatabase.logger).collect().count }, on: first)
            }

            // The next statement runs on a new connection.
            let again = try await dedicated.run { connection in
                try await connection.query("SELECT 4::bigint", logger: PostgresTestDatabase.logger).collect().first?.decode(Int64.self)
            }
            #expect(again == 4)
            #expect(try await dedicated.connection() !== first)
            await dedicated.close()
        }
    }
}
