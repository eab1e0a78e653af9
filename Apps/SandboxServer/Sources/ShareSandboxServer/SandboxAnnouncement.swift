import Foundation
import ShareSandbox

/// What `share-sandbox` prints on standard output for people and scripts: which clients it
/// accepts (ids only, never a secret) and, once it listens, its URL.
public enum SandboxAnnouncement {
    /// The line printed once the server accepts connections; scripts wait for it.
    public static func ready(host: String, port: Int) -> String {
        let literal = host.contains(":") ? "[\(host)]" : host
        return "ShareKit sandbox listening on http://\(literal):\(port)"
    }

    /// The lines describing the registered clients.
    public static func clients(_ configuration: SandboxConfiguration) -> [String] {
        var lines: [String] = []
        if configuration.usesDemoClients {
            lines.append("No clients configured: using the demo clients (secrets in docs/sandbox.md).")
        }
        for client in configuration.effectiveClients {
            lines.append("  client \(client.id)" + (client.partner.map { " (acts for partner \($0))" } ?? ""))
        }
        if case .sqlite(let path) = configuration.storage {
            lines.append("State is kept in \(path).")
        }
        return lines
    }

    /// Writes `line` to standard output unbuffered, so that a reader of a pipe sees it at once.
    public static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
