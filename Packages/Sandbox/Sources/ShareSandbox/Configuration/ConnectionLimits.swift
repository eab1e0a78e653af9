/// How many connections the sandbox serves at once and how long it waits for a client, so that
/// no single client can hold the server's connections or file descriptors.
///
/// ```swift
/// var configuration = SandboxConfiguration(port: 0, partners: partners)
/// configuration.connectionLimits.maximumConnections = 256
/// configuration.connectionLimits.headReadTimeout = .seconds(5)
/// ```
public struct ConnectionLimits: Hashable, Sendable {
    /// The most connections open at once. At the limit the sandbox stops accepting: new
    /// connections wait in the listen backlog until an open one closes. 512 by default, half the
    /// common soft limit of 1,024 file descriptors. The cap stops the next accept, so a burst of
    /// connections already waiting in the backlog can overshoot it by the few that NIO accepts
    /// in one read (at most 3).
    public var maximumConnections: Int
    /// How long a request head may take to arrive in full: from the connection's start for its
    /// first request, from the head's first byte for the next ones. 10 seconds by default.
    public var headReadTimeout: Duration
    /// How long a request body may take to arrive in full, from the end of its head. 30 seconds
    /// by default (the largest body, 64 KiB, at about 2 KiB/s).
    public var bodyReadTimeout: Duration
    /// How long a connection may stay open with no request in progress (keep-alive) or with
    /// nothing read of the request in progress. 60 seconds by default.
    public var idleTimeout: Duration

    public init(
        maximumConnections: Int = 512, headReadTimeout: Duration = .seconds(10), bodyReadTimeout: Duration = .seconds(30),
        idleTimeout: Duration = .seconds(60)
    ) {
        self.maximumConnections = maximumConnections
        self.headReadTimeout = headReadTimeout
        self.bodyReadTimeout = bodyReadTimeout
        self.idleTimeout = idleTimeout
    }
}
