import NIOCore
import NIOHTTP1
import ShareTransport

/// One HTTP/1.1 connection of a ``ConnectionPool``: its channel and the handler that runs its
/// requests. Whoever holds it from the pool has it to themselves until the answer is complete.
struct PooledConnection: Sendable {
    let channel: any Channel
    let handler: NIOLoopBound<HTTPExchangeHandler>

    var id: ObjectIdentifier { ObjectIdentifier(channel) }

    /// Sends `head` and `body` on this connection and waits for the complete answer, within
    /// `limit` and the read timeout. Cancelling the calling task closes the connection.
    func exchange(_ head: HTTPRequestHead, body: ByteBuffer?, limit: ExchangeLimit?) async throws -> HTTPExchangeHandler.Answer {
        let token = ExchangeToken()
        let handler = handler
        let loop = channel.eventLoop
        return try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { continuation in
                // A cancellation that came before this point found no exchange to cancel; closing
                // the unused connection counts it out of the pool.
                guard !Task.isCancelled else {
                    channel.close(promise: nil)
                    continuation.resume(throwing: CancellationError())
                    return
                }
                if loop.inEventLoop {
                    handler.value.start(head, body: body, token: token, limit: limit, continuation: continuation)
                } else {
                    loop.execute {
                        handler.value.start(head, body: body, token: token, limit: limit, continuation: continuation)
                    }
                }
            }
        } onCancel: {
            loop.execute { handler.value.cancel(token) }
        }
    }
}
