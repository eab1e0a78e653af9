/// How long a client connection may take, and how many there may be: what keeps slow or idle
/// clients from holding the gateway's connections and file descriptors.
///
/// - ``headTimeout``: from a connection's start (or the first byte of a keep-alive connection's
///   next request) to the end of the request head. A slowloris client trickling header bytes is
///   answered 408 and closed.
/// - ``bodyTimeout``: from the end of the head to the end of the body. A slow body is answered 408
///   (or, once answered, just closed).
/// - ``idleTimeout``: how long a keep-alive connection may wait for its next request; then it is
///   closed quietly.
/// - ``maximumConnections``: connections served at once; beyond it the gateway stops accepting
///   (Hummingbird's `MaximumAvailableConnections`) and new ones wait in the listen backlog until
///   others close. `nil` derives it from the open-file limit at start
///   (``defaultMaximumConnections(fileDescriptorLimit:)``), so that accepting never runs out of
///   descriptors.
/// - ``maximumConnectionsPerClient``: connections one client address may hold; more are closed
///   at once, so one client cannot take every slot. `nil` is a quarter of the maximum.
public struct ClientConnectionLimits: Sendable, Hashable {
    public var headTimeout: Duration = .seconds(10)
    public var bodyTimeout: Duration = .seconds(30)
    public var idleTimeout: Duration = .seconds(30)
    public var maximumConnections: Int?
    public var maximumConnectionsPerClient: Int?

    public init() {}

    /// The most connections by default, whatever the file limit.
    public static let defaultConnectionCeiling = 4096
    /// Descriptors kept aside for everything but client connections (listeners, logs, the
    /// embedded sandbox, the readiness client).
    static let reservedDescriptors: UInt64 = 64

    /// Half of the descriptors left after ``reservedDescriptors`` — a forwarded request holds a
    /// client and an upstream connection — at most ``defaultConnectionCeiling``, at least 16.
    public static func defaultMaximumConnections(fileDescriptorLimit: UInt64?) -> Int {
        guard let limit = fileDescriptorLimit else { return 512 }
        let available = limit > reservedDescriptors ? (limit - reservedDescriptors) / 2 : 0
        return Int(max(16, min(UInt64(defaultConnectionCeiling), available)))
    }

    /// The connection cap in force for a process whose open-file limit is `fileDescriptorLimit`.
    public func resolvedMaximumConnections(fileDescriptorLimit: UInt64?) -> Int {
        maximumConnections ?? Self.defaultMaximumConnections(fileDescriptorLimit: fileDescriptorLimit)
    }

    /// The per-client cap in force, for a total cap of `maximumConnections`.
    public func resolvedMaximumConnectionsPerClient(maximumConnections: Int) -> Int {
        maximumConnectionsPerClient ?? max(1, maximumConnections / 4)
    }
}
