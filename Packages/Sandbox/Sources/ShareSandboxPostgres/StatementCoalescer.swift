import NIOConcurrencyHelpers

/// Runs one kind of statement for concurrent callers, coalescing the callers that would otherwise
/// queue for a connection into one statement (``StatementCoalescingState`` decides who runs and who
/// waits).
///
/// Under load most of what a point lookup or a small insert costs is the round trip — the pool's
/// lease, the protocol messages, the server parsing and executing one statement — not the row.
/// One statement for sixteen callers pays that once. A caller's statement always starts after the
/// caller arrived, so it sees every change committed before: nothing is answered from memory, and
/// a token revoked before an introspection began is never reported active.
///
/// Hand-written because neither postgres-nio (one statement at a time per connection, no
/// pipelining) nor any other listed package coalesces independent statements.
final class StatementCoalescer<Request: Sendable, Response: Sendable>: Sendable {
    /// Runs the statement for `requests` (never empty) and returns one response per request, in
    /// their order. A throw fails every caller of the batch.
    typealias Statement = @Sendable ([Request]) async throws -> [Response]

    private enum Outcome: Sendable {
        case answered(Response)
        case run
    }

    private struct Waiter: Sendable {
        let request: Request
        /// Unchecked: `StatementCoalescingState` hands every waiter over exactly once (its tests
        /// check it), and on the lookup of every introspection the checked form's extra
        /// allocation and bookkeeping is a measurable share of the cost.
        let continuation: UnsafeContinuation<Outcome, any Error>
    }

    private let state: NIOLockedValueBox<StatementCoalescingState<Waiter>>
    private let statement: Statement

    /// At most `maximumRunning` statements at once, each for at most `maximumBatch` callers.
    init(maximumRunning: Int, maximumBatch: Int, statement: @escaping Statement) {
        self.state = NIOLockedValueBox(StatementCoalescingState(maximumRunning: maximumRunning, maximumBatch: maximumBatch))
        self.statement = statement
    }

    /// `request`'s response: from a statement of its own when a place is free, or else from the
    /// next statement that runs for every caller waiting with it.
    func submit(_ request: Request) async throws -> Response {
        let outcome = try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Outcome, any Error>) in
            let entry = state.withLockedValue { $0.enter(Waiter(request: request, continuation: continuation)) }
            if case .run = entry { continuation.resume(returning: .run) }
        }
        switch outcome {
        case .answered(let response):
            return response
        case .run:
            let result: Result<Response, any Error>
            do {
                result = .success(try Self.single(try await statement([request])))
            } catch {
                result = .failure(error)
            }
            handOver()
            return try result.get()
        }
    }

    /// This caller's statement finished: whoever waited meanwhile runs next, in a task of its own
    /// so that this caller's answer is not held back.
    private func handOver() {
        guard let next = state.withLockedValue({ $0.finish() }) else { return }
        Task { await self.runBatches(startingWith: next) }
    }

    /// Runs `first`, then each batch that gathered while the previous one ran, until nobody waits.
    private func runBatches(startingWith first: [Waiter]) async {
        var batch = first
        while true {
            do {
                let responses = try await statement(batch.map(\.request))
                guard responses.count == batch.count else { throw StatementCoalescerMismatch() }
                for (waiter, response) in zip(batch, responses) { waiter.continuation.resume(returning: .answered(response)) }
            } catch {
                for waiter in batch { waiter.continuation.resume(throwing: error) }
            }
            guard let next = state.withLockedValue({ $0.finish() }) else { return }
            batch = next
        }
    }

    private static func single(_ responses: [Response]) throws -> Response {
        guard responses.count == 1, let response = responses.first else { throw StatementCoalescerMismatch() }
        return response
    }
}
