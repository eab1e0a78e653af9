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
/// the connection closes before the statement does: postgres-nio (1.33) never answers a statement
/// written to a connection at the moment it closes (the write reaches a pipeline without its
/// handler, and the statement's promise is dropped), and one statement left waiting would hold
/// every later lookup behind it. The statement's own task is then left to itself; the connection's
/// close is watched once per connection, not once per statement.
///
/// Not for concurrent use: two statements at once on one connection queue behind each other.
final class PostgresDedicatedConnection: Sendable {
    private enum State {
        case idle(PostgresConnection?)
        case closed
    }

    /// The statement in flight: the connection it runs on, and how to fail it.
    private struct InFlight: Sendable {
        let connection: ObjectIdentifier
        let fail: @Sendable (any Error) -> Void
    }

    private let state = NIOLockedValueBox(State.idle(nil))
    private let inFlight = NIOLockedValueBox<InFlight?>(nil)
    private let location: PostgresLocation
    private let logger: Logger

    init(location: PostgresLocation, logger: Logger) {
        self.location = location
        self.logger = logger
    }

    /// Runs `statement` on the open connection (``connection()``) and returns its result; fails
    /// with ``PostgresStoreUnreachable`` when the connection closes first.
    func run<Value: Sendable>(_ statement: @escaping @Sendable (PostgresConnection) async throws -> Value) async throws -> Value {
        try await run(statement, on: try await connection())
    }

    /// Runs `statement` on `connection`, which ``connection()`` opened (its close is watched).
    func run<Value: Sendable>(
        _ statement: @escaping @Sendable (PostgresConnection) async throws -> Value, on connection: PostgresConnection
    ) async throws -> Value {
        let key = ObjectIdentifier(connection)
        let closed = closedError
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Value, any Error>) in
            let answer = NIOLockedValueBox<CheckedContinuation<Value, any Error>?>(continuation)
            @Sendable func finish(_ result: Result<Value, any Error>) {
                answer.withLockedValue { pending in
                    pending?.resume(with: result)
                    pending = nil
                }
            }
            inFlight.withLockedValue { $0 = InFlight(connection: key, fail: { finish(.failure($0)) }) }
            // A connection that closed before the statement was registered reported it already.
            if connection.isClosed { finish(.failure(closed)) }
            Task { [inFlight] in
                let result: Result<Value, any Error>
                do {
                    result = .success(try await statement(connection))
                } catch {
                    result = .failure(error)
                }
                inFlight.withLockedValue { if $0?.connection == key { $0 = nil } }
                finish(result)
            }
        }
    }

    private var closedError: PostgresStoreUnreachable {
        PostgresStoreUnreachable(location: location, reason: "the connection closed before the statement was answered")
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
        let key = ObjectIdentifier(opened)
        let closed = closedError
        opened.closeFuture.whenComplete { [inFlight] _ in
            let running = inFlight.withLockedValue { running -> InFlight? in
                guard let current = running, current.connection == key else { return nil }
                running = nil
                return current
            }
            running?.fail(closed)
        }
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
