import Foundation
import ShareTestSupport

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
    private let process: ChildProcess
    /// The port the proxy listens on, on 127.0.0.1.
    let port: Int

    /// Starts the proxy, forwarding to `host`:`port`.
    init(forwardingTo host: String, port targetPort: Int) throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("silencing-postgres-proxy.py")
        // The proxy ends when its standard input closes: with ``close()``, or with this process.
        let process = try ChildProcess(
            URL(fileURLWithPath: "/usr/bin/env"), arguments: ["python3", script.path, host, String(targetPort)],
            standardInput: .pipe, standardOutput: .pipe)
        // The first line is the port, printed once the proxy listens.
        var line = Data()
        while let byte = try process.standardOutput!.read(upToCount: 1), let first = byte.first, first != UInt8(ascii: "\n") {
            line.append(first)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            process.send(SIGKILL)
            process.waitUntilExit()
            throw ControlPlaneTestError("the PostgreSQL proxy did not start")
        }
        self.process = process
        self.port = port
    }

    /// Silences every connection that has sent a `LISTEN` so far.
    func silenceListeners() {
        process.send(SIGUSR1)
    }

    /// Whether the proxy still runs.
    var isRunning: Bool { process.isRunning }

    /// Stops the proxy, closing every connection through it, and returns its exit status.
    /// Calling it again only returns the status.
    @discardableResult
    func close() -> Int32 {
        process.send(SIGKILL)
        return process.waitUntilExit()
    }
}
