/// Runs `operation`, and throws `error()` instead if it has not finished within `limit`; the
/// operation is then cancelled. Both child tasks end before this returns, so `operation` never
/// outlives the call.
func withTimeLimit<Result: Sendable>(
    _ limit: Duration,
    error: @escaping @Sendable () -> TransportError,
    operation: @Sendable () async throws -> Result
) async throws -> Result {
    guard limit > .zero else { throw error() }
    return try await withoutActuallyEscaping(operation) { operation in
        try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let result = first else { throw error() }
            return result
        }
    }
}
