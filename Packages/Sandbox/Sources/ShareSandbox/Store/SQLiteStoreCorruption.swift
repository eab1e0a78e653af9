/// A row of the sandbox database does not have the shape the sandbox writes.
public struct SQLiteStoreCorruption: Error, CustomStringConvertible {
    public let table: String
    public var description: String { "the sandbox database has an unreadable row in \(table)" }
}
