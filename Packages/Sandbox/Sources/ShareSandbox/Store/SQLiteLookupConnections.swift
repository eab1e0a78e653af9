import GRDB
import NIOConcurrencyHelpers

/// Read-only connections to a SQLite database in WAL mode for single-statement point lookups,
/// taken from a free list under one lock and run on the calling thread.
///
/// `DatabasePool.unsafeRead` gets a reader through GRDB's pool — a dispatch semaphore, a sync on
/// a concurrent barrier queue, a dispatch group and a read-write lock per read — which profiles
/// of `/oauth/introspect` showed as futex waits and context switches. Here a lookup takes one
/// uncontended lock to pop an idle connection and one to push it back. Lookups are synchronous,
/// so the connections in use at once never outnumber the threads calling; a new one is opened
/// only when every open one is busy, and the list is never larger than that peak.
///
/// Each statement on a WAL reader sees the last committed state when it starts, so a lookup
/// sees every write committed before it (a revocation included); nothing is cached across
/// lookups but prepared statements.
final class SQLiteLookupConnections: Sendable {
    private let path: String
    private let configuration: Configuration
    private let idle = NIOLockedValueBox<[DatabaseQueue]>([])

    /// Connections to the database at `path` (which must exist, in WAL mode), opened with
    /// `configuration` made read-only.
    init(path: String, configuration: Configuration) {
        var readOnly = configuration
        readOnly.readonly = true
        self.path = path
        self.configuration = readOnly
    }

    /// `body` run on an idle connection (opened if there is none) on the calling thread, outside
    /// any transaction. `body` must run one statement only.
    func read<Value>(_ body: (Database) throws -> Value) throws -> Value {
        let connection = try idle.withLockedValue { $0.popLast() } ?? DatabaseQueue(path: path, configuration: configuration)
        defer { idle.withLockedValue { $0.append(connection) } }
        return try connection.inDatabase(body)
    }
}
