import Logging
import NIOConcurrencyHelpers
import PostgresNIO

/// A connection of its own, outside the pool, for a statement that runs one at a time: opened on
/// first use, opened again when it has closed, closed by ``close()``.
///
/// The coalesced lookups run one statement at a time (`StatementCoalescer` with one place), and
/// each leased a pooled connection and gave it back; the pool's lease and release were a
/// measurable share of every introspection. On a connection of their own they skip both. A
/// statement that fails because the connection broke fails its callers, as on the pool, and the
/// next statement opens a new connection.
///
/// A statement goes through ``run(_:)``, which answers it with ``PostgresStoreUnreachable`` when
/// the connection closes before the statement does (``PostgresClosingConnectionWatch``): one
/// statement left waiting would hold every later lookup behind it.
///
/// Not for concurrent use: two statements at once on one connection queue behind each other.
final class PostgresDedicatedConnection: Sendable {
    private enum State {
        case idle(PostgresConnection?)
        case closed
    }

    private let state = NIOLockedValueBox(State.idle(nil))
    private let watch: PostgresClosingConnectionWatch
    private let location: PostgresLocation
    private let logger: Logger

    /// A connection to `location` whose statements `watch` answers (the store's, shared with its pools).
    init(location: PostgresLocation, watch: PostgresClosingConnectionWatch, logger: Logger) {
        self.location = location
        self.watch = watch
        self.logger = logger
    }

    /// Runs `statement` on the open connection (``connection()``) and returns its result; fails
    /// with the watch's error when the connection closes first.
    func run<Value: Sendable>(_ statement: @escaping @Sendable (PostgresConnection) async throws -> Value) async throws -> Value {
        try await run(statement, on: try await connection())
    }

    /// Runs `statement` on `connection`, as ``run(_:)`` does on the open one.
    func run<Value: Sendable>(
        _ statement: @escaping @Sendable (PostgresConnection) async throws -> Value, on connection: PostgresConnection
    ) async throws -> Value {
        try await watch.run(on: connection, statement)
    }

    /// The open connection, or a new one when there is none or it has closed. Throws
    /// `CancellationError` after ``close()``.
    func connection() async throws -> PostgresConnection {
        let current: PostgresConnection? = try state.withLockedValue {
            switch $0 {
            case .idle(let connection): return connection
            case .closed: throw CancellationError()
            }
        }
        if let current, !current.isClosed { return current }
        let configuration = try location.connectionConfiguration(connectTimeout: .seconds(5))
        let opened = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
        let kept = state.withLockedValue { state -> Bool in
            guard case .idle = state else { return false }
            state = .idle(opened)
            return true
        }
        guard kept else {
            try? await opened.close()
            throw CancellationError()
        }
        return opened
    }

    /// Closes the connection; later uses throw `CancellationError`.
    func close() async {
        let open = state.withLockedValue { state -> PostgresConnection? in
            defer { state = .closed }
            if case .idle(let connection) = state { return connection }
            return nil
        }
        try? await open?.close()
    }
}
