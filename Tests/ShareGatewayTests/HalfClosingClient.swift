import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// A TCP client whose channel allows half-closure, so that the two ways a server can end a
/// connection stay apart: closing its output shows as the end of the stream (``Record/inputEnded``)
/// while this client may still send, and a reset shows as an error (``Record/failure``) and the
/// channel's close. ``ByteLevelClient`` closes on the end of the stream and cannot tell them apart.
struct HalfClosingClient {
    /// What arrived, shared with the channel's handler.
    struct Record {
        var bytes: [UInt8] = []
        /// The server closed its output (the end of the stream, without an error).
        var inputEnded = false
        /// The connection failed (a reset, a write refused), as described by NIO.
        var failure: String?
        /// The channel is closed.
        var closed = false
    }

    final class Inbox: @unchecked Sendable {
        private let lock = NSLock()
        private var record = Record()

        func update(_ change: (inout Record) -> Void) { lock.withLock { change(&record) } }
        var snapshot: Record { lock.withLock { record } }
    }

    private final class Recorder: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let inbox: Inbox
        init(inbox: Inbox) { self.inbox = inbox }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            inbox.update { $0.bytes.append(contentsOf: buffer.readableBytesView) }
        }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if case ChannelEvent.inputClosed? = event as? ChannelEvent { inbox.update { $0.inputEnded = true } }
            context.fireUserInboundEventTriggered(event)
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            inbox.update { $0.failure = $0.failure ?? "\(error)" }
            context.close(promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            inbox.update { $0.closed = true }
            context.fireChannelInactive()
        }
    }

    let channel: any Channel
    let inbox: Inbox

    /// Connects to `127.0.0.1:port` (over TLS, for `localhost`, with `tls`), runs `body`, then closes.
    static func with<Value>(port: Int, tls: NIOSSLContext? = nil, _ body: (HalfClosingClient) async throws -> Value) async throws -> Value {
        let inbox = Inbox()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let tls { try pipeline.addHandler(NIOSSLClientHandler(context: tls, serverHostname: "localhost")) }
                    try pipeline.addHandler(Recorder(inbox: inbox))
                }
            }
            .connect(host: "127.0.0.1", port: port)
            .get()
        let client = HalfClosingClient(channel: channel, inbox: inbox)
        do {
            let value = try await body(client)
            try? await channel.close()
            return value
        } catch {
            try? await channel.close()
            throw error
        }
    }

    /// Writes `bytes`; throws when the connection refuses them (closed or reset).
    func send(_ bytes: ByteBuffer) async throws {
        try await channel.writeAndFlush(bytes)
    }

    func send(_ text: String) async throws {
        try await send(ByteBuffer(string: text))
    }

    /// Closes this client's output (a half-close: the server reads the end of the stream) and
    /// keeps reading.
    func closeOutput() async throws {
        try await channel.close(mode: .output)
    }

    /// Waits until `condition` holds for what arrived; `false` when `timeout` passes first.
    func wait(upTo timeout: Duration, for condition: (Record) -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !condition(inbox.snapshot) {
            if ContinuousClock.now >= deadline { return false }
            try await Task.sleep(for: .milliseconds(5))
        }
        return true
    }
}
