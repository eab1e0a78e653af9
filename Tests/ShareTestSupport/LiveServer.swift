public import Hummingbird
import Logging

/// Runs a Hummingbird application on an ephemeral port of 127.0.0.1 for the duration of `body`,
/// then stops it. Shared by the test targets that need a real HTTP peer: the transport's and the
/// client's tests (a scripted API), the sandbox's (a webhook receiver).
public func withLiveServer<Value: Sendable>(
    _ router: Router<BasicRequestContext>,
    _ body: @Sendable (_ port: Int) async throws -> Value
) async throws -> Value {
    try await withLiveServer(context: BasicRequestContext.self, router, body)
}

/// ``withLiveServer(_:_:)`` for a router whose handlers need their own request context (for
/// example the peer's address, to count connections).
public func withLiveServer<Context: RequestContext, Value: Sendable>(
    context: Context.Type,
    _ router: Router<Context>,
    _ body: @Sendable (_ port: Int) async throws -> Value
) async throws -> Value where Context: InitializableFromSource<ApplicationRequestContextSource> {
    let (ports, continuation) = AsyncStream<Int>.makeStream()
    let app = Application(
        router: router,
        configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { channel in
            continuation.yield(channel.localAddress?.port ?? 0)
            continuation.finish()
        },
        logger: Logger(label: "test-server", factory: { _ in SwiftLogNoOpLogHandler() })
    )
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await app.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        defer { group.cancelAll() }
        return try await body(port)
    }
}
