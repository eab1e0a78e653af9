/// The PostgreSQL database did not answer, or refused the sandbox: not running, a wrong port, an
/// unknown user or database, a rejected password. Names the database by its
/// ``PostgresLocation/description``, never with its password.
public struct PostgresStoreUnreachable: Error, Sendable, CustomStringConvertible {
    public let location: PostgresLocation
    /// The server's message, or what failed on the way to it.
    public let reason: String

    public init(location: PostgresLocation, reason: String) {
        self.location = location
        self.reason = reason
    }

    public var description: String { "the PostgreSQL database \(location) cannot be reached: \(reason)" }
}
