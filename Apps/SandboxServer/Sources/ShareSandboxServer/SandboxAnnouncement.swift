import Foundation
import ShareSandbox
import ShareSandboxPostgres

/// What `share-sandbox` prints on standard output for people and scripts: which clients it
/// accepts (ids only, never a secret) and, once it listens, its URL.
public enum SandboxAnnouncement {
    /// The line printed once the server accepts connections; scripts wait for it.
    public static func ready(host: String, port: Int) -> String {
        let literal = host.contains(":") ? "[\(host)]" : host
        return "ShareKit sandbox listening on http://\(literal):\(port)"
    }

    /// The error for a port another process listens on (exit status 2), naming it and the way out.
    public static func portTaken(host: String, port: Int) -> String {
        "port \(port) on \(host) is already in use; choose another with --port, or --port 0 for a free one"
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
        lines += shareTokenOrganizations(configuration)
        if case .sqlite(let path) = configuration.storage {
            lines.append("State is kept in \(path).")
        }
        return lines
    }

    /// The line naming the PostgreSQL database state is kept in, without its password.
    public static func postgres(_ location: PostgresLocation) -> String {
        "State is kept in the PostgreSQL database \(location)."
    }

    /// Writes `line` to standard output unbuffered, so that a reader of a pipe sees it at once.
    public static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// The lines describing the share-token organizations: for the demo set, their ids, API keys
    /// (public demo values), connection and records; for configured ones, ids only.
    public static func shareTokenOrganizations(_ configuration: SandboxConfiguration) -> [String] {
        guard configuration.usesDemoOrganizations else {
            return configuration.shareTokenSeed.organizations.map { "  organization \($0.id)" }
                + configuration.shareTokenSeed.connections.map { "  connection \($0.id): \($0.source) -> \($0.destination)" }
        }
        return [
            "No organizations configured: using the demo share-token organizations (public demo keys):",
            "  organization \(ShareTokenDemo.sourceOrganizationID)  API key \(ShareTokenDemo.sourceAPIKey)",
            "  organization \(ShareTokenDemo.destinationOrganizationID)  API key \(ShareTokenDemo.destinationAPIKey)",
            "  connection \(ShareTokenDemo.connectionID): \(ShareTokenDemo.sourceOrganizationID) -> \(ShareTokenDemo.destinationOrganizationID)",
            "  records of \(ShareTokenDemo.sourceOrganizationID): \(ShareTokenDemo.inquiryID), \(ShareTokenDemo.transactionID), "
                + "\(ShareTokenDemo.accountID), \(ShareTokenDemo.verificationID)",
        ]
    }
}
