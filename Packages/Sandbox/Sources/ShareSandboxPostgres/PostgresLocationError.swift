/// Why a `postgres://` URL could not be read. The reason never repeats the URL, which may carry
/// a password.
public struct PostgresLocationError: Error, Hashable, Sendable, CustomStringConvertible {
    public let reason: String

    public init(reason: String) { self.reason = reason }

    public var description: String { "invalid PostgreSQL URL: \(reason)" }
}
