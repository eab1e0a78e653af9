import NIOCore
import NIOPosix
import NIOSSL

/// Keep-alive HTTP/1.1 connections to the upstream, owned by one event loop: the client
/// connections served by that loop borrow from it, so a forwarded request never leaves its thread.
///
/// Hand-written over SwiftNIO because the forwarding path relays response parts between two
/// channels of the same loop, which AsyncHTTPClient's pool (tasks, per-request state machines,
/// any-loop connections) cannot do without a thread hop per request; docs/gateway.md has the
/// measurements. Used only on ``eventLoop``.
final class UpstreamConnectionPool {
    let eventLoop: any EventLoop
    let target: UpstreamTarget
    private let tlsContext: NIOSSLContext?
    private let connectTimeout: TimeAmount
    /// Idle connections older than this are closed instead of reused (upstreams close idle
    /// connections too; reusing one that is closing would fail the request).
    private let idleTimeout: TimeAmount
    private let maximumIdle: Int
    private var idle: [UpstreamConnection] = []
    private var isShutDown = false

    init(eventLoop: any EventLoop, target: UpstreamTarget, tlsContext: NIOSSLContext?, connectTimeout: TimeAmount, idleTimeout: TimeAmount, maximumIdle: Int) {
        self.eventLoop = eventLoop
        self.target = target
        self.tlsContext = tlsContext
        self.connectTimeout = connectTimeout
        self.idleTimeout = idleTimeout
        self.maximumIdle = maximumIdle
    }

    /// Why a connection could not be had.
    enum Failure: Error {
        case timeout
        case unavailable
    }

    /// A live idle connection, if there is one (the common case, taken without a callback).
    func takeIdle(now: NIODeadline = .now()) -> UpstreamConnection? {
        eventLoop.preconditionInEventLoop()
        guard !isShutDown else { return nil }
        while let connection = idle.popLast() {
            if connection.isActive && now - connection.idleSince < idleTimeout { return connection }
            connection.close()
        }
        return nil
    }

    /// An idle connection when there is a live one, else a new one. `completion` runs on the loop.
    func acquire(_ completion: @escaping (Result<UpstreamConnection, Failure>) -> Void) {
        eventLoop.preconditionInEventLoop()
        guard !isShutDown else { return completion(.failure(.unavailable)) }
        if let connection = takeIdle() { return completion(.success(connection)) }
        connect().assumeIsolated().whenComplete { result in
            switch result {
            case .success(let channel):
                do {
                    completion(.success(try channel.pipeline.syncOperations.handler(type: UpstreamConnection.self)))
                } catch {
                    channel.close(promise: nil)
                    completion(.failure(.unavailable))
                }
            case .failure(let error):
                completion(.failure(Self.isTimeout(error) ? .timeout : .unavailable))
            }
        }
    }

    /// Returns a connection after its response ended; closes it instead when it cannot be reused.
    func release(_ connection: UpstreamConnection, reusable: Bool, now: NIODeadline = .now()) {
        eventLoop.preconditionInEventLoop()
        connection.receiver = nil
        if reusable && !isShutDown && connection.isActive && idle.count < maximumIdle {
            connection.idleSince = now
            idle.append(connection)
        } else {
            connection.close()
        }
    }

    /// Closes the idle connections and refuses new ones.
    func shutdown() {
        eventLoop.preconditionInEventLoop()
        isShutDown = true
        for connection in idle { connection.close() }
        idle.removeAll()
    }

    private func connect() -> EventLoopFuture<any Channel> {
        let target = self.target
        let tlsContext = self.tlsContext
        return ClientBootstrap(group: eventLoop)
            .connectTimeout(connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tlsContext {
                        let handler = try NIOSSLClientHandler(context: tlsContext, serverHostname: target.isIPAddress ? nil : target.host)
                        try channel.pipeline.syncOperations.addHandler(handler)
                    }
                    try channel.pipeline.syncOperations.addHandler(UpstreamConnection())
                }
            }
            .connect(host: target.host, port: target.port)
    }

    private static func isTimeout(_ error: any Error) -> Bool {
        if case ChannelError.connectTimeout = error { return true }
        return false
    }
}
