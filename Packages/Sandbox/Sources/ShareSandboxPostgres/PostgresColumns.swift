import PostgresNIO

/// The columns of one result row, read by name: `try columns["id", as: String.self]`.
struct PostgresColumns: Sendable {
    let row: PostgresRandomAccessRow
    let table: String

    init(_ row: PostgresRow, table: String) {
        self.row = row.makeRandomAccess()
        self.table = table
    }

    /// The value of `column`; a missing column or a value of another type is a
    /// ``PostgresStoreCorruption`` of the table.
    subscript<Value: PostgresDecodable>(column: String, as type: Value.Type = Value.self) -> Value {
        get throws {
            guard row.contains(column) else { throw PostgresStoreCorruption(table: table) }
            do {
                return try row[column].decode(Value.self, context: .default)
            } catch {
                throw PostgresStoreCorruption(table: table)
            }
        }
    }
}
