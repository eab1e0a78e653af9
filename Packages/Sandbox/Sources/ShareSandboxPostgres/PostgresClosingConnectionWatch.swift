import NIOConcurrencyHelpers
import PostgresNIO

/// Runs statements so that each is answered, also when its connection closes under it: with the
/// statement's own result, or with `closedError` once the connection has closed.
///
/// Hand-written around a gap of postgres-nio (1.33): a statement written to a connection at the
/// very moment it closes is never answered — the write reaches a pipeline that no longer has the
/// connection's handler, and the statement's promise is dropped — so its caller would wait
/// forever: a request that never gets its answer, a background loop that stops, a shutdown that
/// never ends, and on the coalesced lookups' own connection every later introspection behind it.
///
/// Each connection's close is watched once, on first use (a callback per statement on a
/// long-lived connection would pile up until it closes); a connection runs one statement at a time
/// (a pooled one is leased), so the watch fails the one in flight. A statement answered that way
/// is left to itself in its own task.
final class PostgresClosingConnectionWatch: Sendable {
    /// How to fail the statement in flight on one connection.
    private typealias Failure = @Sendable (any Error) -> Void

    /// The connections watched so far, still open, each with its statement in flight, if any.
    private let connections = NIOLockedValueBox<[ObjectIdentifier: Failure?]>([:])
    private let closedError: any Error & Sendable

    /// Answers statements whose connection closed with `closedError`.
    init(closedError: any Error & Sendable) {
        self.closedError = closedError
    }

    /// Runs `statement` on `connection` and returns its result, or throws the watch's error when
    /// the connection closes before the statement is answered (or has closed already).
    func run<Value: Sendable>(
        on connection: PostgresConnection, _ statement: @escaping @Sendable (PostgresConnection) async throws -> Value
    ) async throws -> Value {
        let key = ObjectIdentifier(connection)
        let closedError = closedError
        let connections = connections
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Value, any Error>) in
            let answer = NIOLockedValueBox<CheckedContinuation<Value, any Error>?>(continuation)
            @Sendable func finish(_ result: Result<Value, any Error>) {
                answer.withLockedValue { pending in
                    pending?.resume(with: result)
                    pending = nil
                }
            }
            let isNew = connections.withLockedValue { watched -> Bool in
                let isNew = watched[key] == nil
                watched[key] = .some({ finish(.failure($0)) })
                return isNew
            }
            if isNew {
                // Runs at once when the connection has closed already.
                connection.closeFuture.whenComplete { _ in
                    let inFlight = connections.withLockedValue { $0.removeValue(forKey: key) }
                    inFlight??(closedError)
                }
            }
            if connection.isClosed { finish(.failure(closedError)) }
            Task {
                let result: Result<Value, any Error>
                do {
                    result = .success(try await statement(connection))
                } catch {
                    result = .failure(error)
                }
                connections.withLockedValue { watched in
                    if watched[key] != nil { watched[key] = .some(nil) }
                }
                finish(result)
            }
        }
    }
}
