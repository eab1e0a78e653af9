/// A stored row the store cannot read back (an unknown status, a malformed identifier): the
/// database was changed outside the sandbox.
public struct PostgresStoreCorruption: Error, CustomStringConvertible {
    /// The table holding the row.
    public let table: String

    public var description: String { "the PostgreSQL table \(table) holds a row the sandbox cannot read" }
}
