import ServiceLifecycle

/// A sandbox serving in this process (see ``SandboxServer/start(configuration:)``).
public struct RunningSandbox: Sendable {
    /// The bound address, e.g. `127.0.0.1`.
    public let host: String
    /// The bound port.
    public let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    init(host: String, port: Int, group: ServiceGroup, task: Task<Void, any Error>) {
        self.host = host
        self.port = port
        self.group = group
        self.task = task
    }

    /// The base URL to send requests to, e.g. `http://127.0.0.1:54021`.
    public var url: String {
        let literal = host.contains(":") ? "[\(host)]" : host
        return "http://\(literal):\(port)"
    }

    /// Stops accepting connections, finishes requests in flight and returns when the server is
    /// down.
    public func shutdown() async throws {
        await group.triggerGracefulShutdown()
        try await task.value
    }
}
