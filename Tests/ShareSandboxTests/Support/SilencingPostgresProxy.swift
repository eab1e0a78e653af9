import Foundation

/// A TCP proxy in front of a PostgreSQL server that can silence the connections that listen for
/// notifications: after ``silenceListeners()``, every connection that has sent a `LISTEN` so far
/// stops forwarding in both directions while its sockets stay open — a database host that
/// vanished, or a firewall that dropped the flow, as the client sees it. Every other connection,
/// and every connection opened later, is forwarded as before.
///
/// The proxy is `silencing-postgres-proxy.py` beside this file, in a process of its own (Python's
/// asyncio streams make a two-way byte pump a few lines), so that a silenced connection is silent
/// at the socket, as a real one would be.
final class SilencingPostgresProxy: Sendable {
    private let process: Process
    private let input: Pipe
    /// The port the proxy listens on, on 127.0.0.1.
    let port: Int

    /// Starts the proxy, forwarding to `host`:`port`.
    init(forwardingTo host: String, port targetPort: Int) throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("silencing-postgres-proxy.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, host, String(targetPort)]
        let output = Pipe()
        process.standardOutput = output
        // The proxy ends when this pipe closes: with ``close()``, or with this process.
        let input = Pipe()
        process.standardInput = input
        try process.run()
        // The first line is the port, printed once the proxy listens.
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), let first = byte.first, first != UInt8(ascii: "\n") {
            line.append(first)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            kill(process.processIdentifier, SIGKILL)
            throw ControlPlaneTestError("the PostgreSQL proxy did not start")
        }
        self.process = process
        self.input = input
        self.port = port
    }

    /// Silences every connection that has sent a `LISTEN` so far.
    func silenceListeners() {
        kill(process.processIdentifier, SIGUSR1)
    }

    /// Stops the proxy, closing every connection through it. Calling it again does nothing.
    func close() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
