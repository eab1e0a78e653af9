import Foundation
import PostgresNIO
@testable import ShareSandboxPostgres
import Testing

/// `PostgresCellReader` reads a row's cells in order and refuses, as a corruption of the table,
/// a cell under another name, a missing cell or a value of another type: a statement and its
/// reader that drift apart fail instead of reading the wrong column.
@Suite("PostgreSQL: reading a row's cells in order", .enabled(if: PostgresTestDatabase.isConfigured, PostgresTestDatabase.skipReason))
struct PostgresCellReaderTests {
    /// The one row of `sql`, run on the test server.
    static func row(_ sql: String) async throws -> PostgresRow {
        let location = try PostgresLocation(url: try #require(PostgresTestDatabase.url), environment: [:])
        let rows = try await PostgresTestDatabase.rows(location, sql)
        return try #require(rows.count == 1 ? rows.first : nil)
    }

    /// Whether `read` throws the corruption of `table` "tokens".
    static func refuses(_ read: () throws -> Void) -> Bool {
        do {
            try read()
            return false
        } catch let error as PostgresStoreCorruption {
            return error.table == "tokens"
        } catch {
            return false
        }
    }

    @Test("cells are read in order, NULL as nil, and skipped")
    func readsInOrder() async throws {
        let row = try await Self.row("SELECT 7::int8 AS lookup, NULL::text AS c_id, 'a' AS one, 'b' AS two, '\\x0102'::bytea AS digest")
        var cells = PostgresCellReader(row, table: "tokens")
        #expect(try cells.next("lookup", as: Int64.self) == 7)
        #expect(try cells.next("c_id", as: String?.self) == nil)
        try cells.skip(2)
        #expect(Array(try cells.next("digest", as: ByteBuffer.self).readableBytesView) == [1, 2])
    }

    @Test("a cell under another name, a missing cell, or a value of another type is a corruption")
    func refusesWhatDoesNotMatch() async throws {
        let row = try await Self.row("SELECT 7::int8 AS lookup, 'text' AS scope")
        #expect(Self.refuses { var cells = PostgresCellReader(row, table: "tokens"); _ = try cells.next("digest", as: Int64.self) })
        #expect(Self.refuses { var cells = PostgresCellReader(row, table: "tokens"); _ = try cells.next("lookup", as: Bool.self) })
        #expect(Self.refuses {
            var cells = PostgresCellReader(row, table: "tokens")
            try cells.skip(2)
            _ = try cells.next("scope", as: String.self)
        })
        #expect(Self.refuses { var cells = PostgresCellReader(row, table: "tokens"); try cells.skip(3) })
        #expect(Self.refuses { var cells = PostgresCellReader(row, table: "tokens"); _ = try cells.next("lookup", as: Int64?.self); _ = try cells.next("scope", as: Int64.self) })
    }
}
