import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import ShareTransport

/// The keep-alive connections of a ``NIOHTTPTransport``, per scheme, host and port.
///
/// A request takes an idle connection (one on the caller's event loop if it runs on one, else the
/// most recently used), or opens one while the host
/// has fewer than the configured maximum, or else waits in line for one. The connection's handler
/// gives it back when the answer is complete and the connection may be kept; a closed connection
/// leaves the pool through its channel's close future, so every connection is counted out exactly
/// once, whatever closed it.
final class ConnectionPool: Sendable {
    /// What a request in line is given: a connection, or the right to open one.
    private enum Grant: Sendable {
        case connection(PooledConnection)
        case slot
    }

    private struct Waiter {
        let token: WaiterToken
        let continuation: CheckedContinuation<Grant, any Error>
    }

    private struct Host {
        /// Open connections nobody uses, the most recently used last.
        var idle: [(connection: PooledConnection, since: NIODeadline)] = []
        /// Connections open or being opened.
        var open = 0
        /// Requests waiting for a connection, first come first served.
        var waiters: [Waiter] = []
    }

    private struct State {
        var hosts: [RequestTarget.Key: Host] = [:]
        /// Every open channel, to close at shutdown.
        var channels: [ObjectIdentifier: any Channel] = [:]
        var isShutDown = false
    }

    private let state = NIOLockedValueBox(State())
    private let tlsContext = NIOLockedValueBox<NIOSSLContext?>(nil)
    private let sweeper = NIOLockedValueBox<RepeatedTask?>(nil)
    private let group: any EventLoopGroup
    private let connectTimeout: Duration
    private let readTimeout: TimeAmount
    private let idleTimeout: TimeAmount
    private let maximumConnectionsPerHost: Int
    private let maximumBodyBytes: Int

    init(configuration: NIOHTTPTransport.Configuration, group: any EventLoopGroup) {
        self.group = group
        connectTimeout = configuration.connectTimeout
        readTimeout = TimeAmount(configuration.readTimeout)
        idleTimeout = TimeAmount(configuration.idleTimeout)
        maximumConnectionsPerHost = max(1, configuration.maximumConnectionsPerHost)
        maximumBodyBytes = configuration.maximumResponseBodyBytes
        let interval = TimeAmount.nanoseconds(max(idleTimeout.nanoseconds / 2, 100_000_000))
        let task = group.next().scheduleRepeatedTask(initialDelay: interval, delay: interval) { [weak self] _ in
            self?.closeExpiredIdleConnections()
        }
        sweeper.withLockedValue { $0 = task }
    }

    deinit {
        sweeper.withLockedValue { $0?.cancel() }
    }

    static let shutDownError = TransportError(.connectionFailed, detail: "the transport is shut down")

    /// A connection to `key` for one request: idle, newly opened, or the next one freed.
    func connection(for key: RequestTarget.Key, limit: ExchangeLimit?) async throws -> PooledConnection {
        let grant: Grant
        if let immediate = try takeOrReserve(key) {
            grant = immediate
        } else {
            grant = try await waitInLine(for: key, limit: limit)
        }
        switch grant {
        case .connection(let connection): return connection
        case .slot: return try await open(key, limit: limit)
        }
    }

    /// Takes `connection` back after a complete exchange, for the first request in line or as idle.
    /// Called on the connection's event loop.
    func release(_ connection: PooledConnection, key: RequestTarget.Key) {
        let now = NIODeadline.now()
        let (waiter, refused) = state.withLockedValue { state -> (Waiter?, Bool) in
            guard !state.isShutDown else { return (nil, true) }
            if state.hosts[key]?.waiters.isEmpty == false { return (state.hosts[key]!.waiters.removeFirst(), false) }
            state.hosts[key, default: Host()].idle.append((connection, now))
            return (nil, false)
        }
        if refused { connection.channel.close(promise: nil) }
        waiter?.continuation.resume(returning: .connection(connection))
    }

    /// Closes every connection and fails the requests in line.
    func shutdown() async {
        let (channels, waiters) = state.withLockedValue { state -> ([any Channel], [Waiter]) in
            state.isShutDown = true
            let waiters = state.hosts.values.flatMap(\.waiters)
            for key in state.hosts.keys { state.hosts[key]!.waiters = [] }
            return (Array(state.channels.values), waiters)
        }
        sweeper.withLockedValue { $0?.cancel() }
        for waiter in waiters { waiter.continuation.resume(throwing: Self.shutDownError) }
        for channel in channels { channel.close(promise: nil) }
        for channel in channels { try? await channel.closeFuture.get() }
    }

    // MARK: Taking and waiting

    /// An idle connection, or the right to open one; `nil` when the request must wait.
    private func takeOrReserve(_ key: RequestTarget.Key) throws -> Grant? {
        let now = NIODeadline.now()
        let (grant, expired) = try state.withLockedValue { state -> (Grant?, [any Channel]) in
            guard !state.isShutDown else { throw Self.shutDownError }
            return Self.takeOrReserve(key, in: &state, now: now, idleTimeout: idleTimeout, maximum: maximumConnectionsPerHost)
        }
        for channel in expired { channel.close(promise: nil) }
        return grant
    }

    /// With the lock held: pops idle connections (skipping closed and expired ones, returned to be
    /// closed outside the lock) or reserves a slot.
    private static func takeOrReserve(
        _ key: RequestTarget.Key, in state: inout State, now: NIODeadline, idleTimeout: TimeAmount, maximum: Int
    ) -> (Grant?, [any Channel]) {
        var expired: [any Channel] = []
        var host = state.hosts.removeValue(forKey: key) ?? Host()
        defer { state.hosts[key] = host }
        // A task running on an event loop (Swift concurrency on NIO's executor) prefers a
        // connection of that loop: the request is then written without a thread hop.
        if let current = MultiThreadedEventLoopGroup.currentEventLoop.map(ObjectIdentifier.init),
            let local = host.idle.lastIndex(where: { ObjectIdentifier($0.connection.channel.eventLoop) == current }),
            local != host.idle.count - 1
        {
            host.idle.swapAt(local, host.idle.count - 1)
        }
        while let (connection, since) = host.idle.popLast() as (PooledConnection, NIODeadline)? {
            guard connection.channel.isActive else { continue }  // its close future counts it out
            guard now - since < idleTimeout else {
                expired.append(connection.channel)
                continue
            }
            return (.connection(connection), expired)
        }
        if host.open < maximum {
            host.open += 1
            return (.slot, expired)
        }
        return (nil, expired)
    }

    private func waitInLine(for key: RequestTarget.Key, limit: ExchangeLimit?) async throws -> Grant {
        let token = WaiterToken()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Grant, any Error>) in
                let now = NIODeadline.now()
                let outcome = state.withLockedValue { state -> Result<(Grant?, [any Channel]), TransportError> in
                    guard !state.isShutDown else { return .failure(Self.shutDownError) }
                    let (grant, expired) = Self.takeOrReserve(key, in: &state, now: now, idleTimeout: idleTimeout, maximum: maximumConnectionsPerHost)
                    if grant == nil { state.hosts[key, default: Host()].waiters.append(Waiter(token: token, continuation: continuation)) }
                    return .success((grant, expired))
                }
                switch outcome {
                case .failure(let error):
                    continuation.resume(throwing: error)
                case .success(let (grant, expired)):
                    for channel in expired { channel.close(promise: nil) }
                    if let grant {
                        continuation.resume(returning: grant)
                    } else if Task.isCancelled {
                        leaveLine(token, key: key, error: CancellationError())
                    } else if let limit {
                        group.next().scheduleTask(deadline: limit.deadline) { [self] in
                            leaveLine(token, key: key, error: limit.error)
                        }
                    }
                }
            }
        } onCancel: {
            leaveLine(token, key: key, error: CancellationError())
        }
    }

    /// Takes the request of `token` out of line, if it is still waiting, and fails it with `error`.
    private func leaveLine(_ token: WaiterToken, key: RequestTarget.Key, error: any Error) {
        let waiter = state.withLockedValue { state -> Waiter? in
            guard let index = state.hosts[key]?.waiters.firstIndex(where: { $0.token === token }) else { return nil }
            return state.hosts[key]!.waiters.remove(at: index)
        }
        waiter?.continuation.resume(throwing: error)
    }

    // MARK: Opening and closing

    private func open(_ key: RequestTarget.Key, limit: ExchangeLimit?) async throws -> PooledConnection {
        var timeout = connectTimeout
        if let limit, limit.left < timeout { timeout = limit.left }
        do {
            return try await connect(key, timeout: TimeAmount(timeout)).get()
        } catch {
            freeSlot(of: key, closed: nil)
            if let error = error as? TransportError { throw error }
            if let limit, limit.left <= connectTimeout, case ChannelError.connectTimeout = error { throw limit.error }
            throw TransportError(.connectionFailed, detail: "could not connect to \(key): \(error)", underlying: error)
        }
    }

    private func connect(_ key: RequestTarget.Key, timeout: TimeAmount) throws -> EventLoopFuture<PooledConnection> {
        let tls = key.usesTLS ? try makeTLSContext() : nil
        // SNI and hostname verification take a name; an IP literal is verified against the
        // certificate's addresses instead.
        let serverName = key.endpoint.isIPAddress ? nil : key.endpoint.host
        let readTimeout = readTimeout
        let maximumBodyBytes = maximumBodyBytes
        // Round robin over the loops: connections, and the tasks that resume where their answers
        // are read, spread over every loop.
        let bootstrap = ClientBootstrap(group: group.next())
            .connectTimeout(timeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let tls { try pipeline.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverName)) }
                    try pipeline.addHTTPClientHandlers()
                    try pipeline.addHandler(HTTPExchangeHandler(pool: self, key: key, readTimeout: readTimeout, maximumBodyBytes: maximumBodyBytes))
                }
            }
        return bootstrap.connect(host: key.endpoint.host, port: key.endpoint.port).flatMapThrowing { [self] channel in
            let handler = try channel.pipeline.syncOperations.handler(type: HTTPExchangeHandler.self)
            let connection = PooledConnection(channel: channel, handler: NIOLoopBound(handler, eventLoop: channel.eventLoop))
            let refused = state.withLockedValue { state in
                if !state.isShutDown { state.channels[connection.id] = channel }
                return state.isShutDown
            }
            if refused {
                channel.close(promise: nil)
                throw Self.shutDownError
            }
            channel.closeFuture.whenComplete { [self] _ in freeSlot(of: key, closed: connection.id) }
            return connection
        }
    }

    /// Counts a connection of `key` out (the one of id `closed`, or one that failed to open), or
    /// hands its place to the first request in line.
    private func freeSlot(of key: RequestTarget.Key, closed: ObjectIdentifier?) {
        let waiter = state.withLockedValue { state -> Waiter? in
            if let closed { state.channels[closed] = nil }
            guard var host = state.hosts.removeValue(forKey: key) else { return nil }
            defer { state.hosts[key] = host }
            if let closed, let index = host.idle.firstIndex(where: { $0.connection.id == closed }) {
                host.idle.remove(at: index)
            }
            if !state.isShutDown, !host.waiters.isEmpty { return host.waiters.removeFirst() }
            host.open -= 1
            return nil
        }
        waiter?.continuation.resume(returning: .slot)
    }

    private func closeExpiredIdleConnections() {
        let now = NIODeadline.now()
        let expired = state.withLockedValue { state -> [any Channel] in
            var expired: [any Channel] = []
            for key in state.hosts.keys {
                state.hosts[key]!.idle.removeAll { entry in
                    guard now - entry.since >= idleTimeout else { return false }
                    expired.append(entry.connection.channel)
                    return true
                }
            }
            return expired
        }
        for channel in expired { channel.close(promise: nil) }
    }

    private func makeTLSContext() throws -> NIOSSLContext {
        try tlsContext.withLockedValue { context in
            if let context { return context }
            let made = try NIOSSLContext(configuration: .makeClientConfiguration())
            context = made
            return made
        }
    }
}

/// Identifies one request waiting in line for a connection.
private final class WaiterToken: Sendable {}
