import PostgresNIO

/// The cells of one result row, read in the order the statement names its columns:
/// `try cells.next("id", as: String.self)`.
///
/// Reading in order costs a comparison of the cell's column name with the expected one, where
/// reading by name (``PostgresColumns``, `PostgresRandomAccessRow`) builds a lookup of every
/// column of every row; on the lookups every introspection runs, that lookup was most of the cost
/// of decoding a row. A cell under another name, a missing cell or a value of another type is a
/// ``PostgresStoreCorruption`` of the table, so a statement and its reader that drift apart fail
/// loudly instead of reading the wrong column.
struct PostgresCellReader {
    private var cells: PostgresRow.Iterator
    let table: String

    init(_ row: PostgresRow, table: String) {
        self.cells = row.makeIterator()
        self.table = table
    }

    /// The next cell's value, which must be the column `column`.
    mutating func next<Value: PostgresDecodable>(_ column: String, as type: Value.Type = Value.self) throws -> Value {
        guard let cell = cells.next(), cell.columnName == column else { throw PostgresStoreCorruption(table: table) }
        do {
            return try cell.decode(Value.self, context: .default)
        } catch {
            throw PostgresStoreCorruption(table: table)
        }
    }

    /// Passes over the next `count` cells, which must exist.
    mutating func skip(_ count: Int) throws {
        for _ in 0..<count {
            guard cells.next() != nil else { throw PostgresStoreCorruption(table: table) }
        }
    }
}
