import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A TCP connection to a running sandbox that writes bytes exactly as a test scripts them —
/// slowly, partially, or far more than the server accepts — and reads what comes back, to see
/// whether and when the server closes it.
struct RawTCPConnection: Sendable {
    let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>

    /// Connects to `port`; with `outboundHalfClosure`, finishing the outbound writer closes this
    /// side of the connection (a half-close) instead of doing nothing.
    static func open(port: Int, outboundHalfClosure: Bool = false) async throws -> RawTCPConnection {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(
                        wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: outboundHalfClosure))
                }
            }
        return RawTCPConnection(channel: channel)
    }

    /// What the server did while `writer` ran.
    struct Outcome: Sendable {
        /// Every byte the server sent.
        var received: String
        /// Whether the server ended the connection (or its output) before the time limit.
        var closedByServer: Bool
    }

    /// Connects to `port`, runs `writer` while reading everything the server sends, and returns
    /// once the server has ended the connection (or its output) and `writer` has returned or
    /// failed (a write fails once the server has closed), or once `limit` has passed.
    static func watch(
        port: Int, for limit: Duration,
        writer: @escaping @Sendable (NIOAsyncChannelOutboundWriter<ByteBuffer>) async throws -> Void
    ) async throws -> Outcome {
        enum Event: Sendable { case serverClosed, writerEnded, timedOut }
        let connection = try await open(port: port)
        let received = NIOLockedValueBox<[UInt8]>([])
        let closed = try await connection.channel.executeThenClose { inbound, outbound in
            try await withThrowingTaskGroup(of: Event.self) { group in
                group.addTask {
                    do {
                        for try await buffer in inbound { received.withLockedValue { $0 += buffer.readableBytesView } }
                    } catch {
                        // A reset ends the connection as surely as a FIN.
                    }
                    return Task.isCancelled ? .timedOut : .serverClosed
                }
                group.addTask {
                    try? await writer(outbound)
                    return .writerEnded
                }
                group.addTask {
                    try await Task.sleep(for: limit)
                    return .timedOut
                }
                var serverClosed = false
                var writerEnded = false
                while let event = try await group.next() {
                    switch event {
                    case .serverClosed: serverClosed = true
                    case .writerEnded: writerEnded = true
                    case .timedOut: break
                    }
                    if event == .timedOut || (serverClosed && writerEnded) { break }
                }
                group.cancelAll()
                return serverClosed
            }
        }
        return Outcome(received: String(decoding: received.withLockedValue { $0 }, as: UTF8.self), closedByServer: closed)
    }

    /// Connects to `port`, writes `bytes`, closes this side of the connection (a half-close, as
    /// `nc -N` does) and returns everything the server sent until it ended the connection; throws
    /// when that takes longer than `limit`.
    static func halfClosing(port: Int, after bytes: ByteBuffer, limit: Duration = .seconds(10)) async throws -> String {
        let connection = try await open(port: port, outboundHalfClosure: true)
        return try await connection.channel.executeThenClose { inbound, outbound in
            try await outbound.write(bytes)
            outbound.finish()
            return try await withThrowingTaskGroup(of: String?.self) { group in
                group.addTask {
                    var received: [UInt8] = []
                    for try await buffer in inbound { received += buffer.readableBytesView }
                    return String(decoding: received, as: UTF8.self)
                }
                group.addTask {
                    try await Task.sleep(for: limit)
                    return nil
                }
                defer { group.cancelAll() }
                guard let received = try await group.next() ?? nil else { throw RawTCPConnectionTimeout() }
                return received
            }
        }
    }

    /// A request with a `Content-Length` body, as bytes.
    static func request(_ method: String, _ path: String, headers: [String] = [], body: String = "") -> ByteBuffer {
        var text = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for header in headers { text += header + "\r\n" }
        if !body.isEmpty { text += "Content-Length: \(body.utf8.count)\r\n" }
        return ByteBuffer(string: text + "\r\n" + body)
    }
}

/// The server neither answered nor closed in time.
struct RawTCPConnectionTimeout: Error {}
