import ArgumentParser
import ShareClient
import ShareModels
import ShareWire

/// `connection list | show | create | accept | deactivate | reactivate`: the Connections API
/// (`/api/v1/connect/connections`) as one organization.
struct ConnectionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connection",
        abstract: "List, show, create, accept, deactivate and reactivate connections (/api/v1/connect/connections).",
        discussion: """
            A connection lets its source organization create share tokens that only its destination \
            may redeem, while it is active. A new connection is pending until the destination accepts \
            it. Requests go as the organization of SHARE_API_KEY.
            """,
        subcommands: [List.self, Show.self, Create.self, Accept.self, Deactivate.self, Reactivate.self]
    )

    /// `id` as a connection id, or a usage error.
    static func connectionID(_ id: String) throws -> ConnectionID {
        if let problem = ConnectionID.problem(with: id) { throw ValidationError(problem) }
        return ConnectionID(validated: id)
    }

    struct List: ParsableCommand, ShellRunnable {
        static let configuration = CommandConfiguration(abstract: "List the connections your organization is a side of, newest first (every page).")

        @Option(help: "How many connections each request fetches (1–100).")
        var pageSize: Int?

        @OptionGroup var outputOptions: OutputOptions

        func run(in context: ShellContext) async throws -> CommandOutcome {
            let client = try ShareTokenCommand.client(context)
            var connections: [ConnectConnection] = []
            var after: ConnectionID?
            repeat {
                let page = try await client.connections(pageSize: pageSize, after: after)
                connections += page.connections
                after = page.next
            } while after != nil
            return .result(try JSONValue(jsonAPIDocumentOf: connections))
        }
    }

    struct Show: ParsableCommand, ShellRunnable {
        static let configuration = CommandConfiguration(abstract: "Show a connection.")

        @Argument(help: "The connection id (cxn_…).")
        var id: String

        @OptionGroup var outputOptions: OutputOptions

        func validate() throws { _ = try ConnectionCommand.connectionID(id) }

        func run(in context: ShellContext) async throws -> CommandOutcome {
            .result(try JSONValue(jsonAPIDocumentOf: try await ShareTokenCommand.client(context).connection(try ConnectionCommand.connectionID(id))))
        }
    }

    struct Create: ParsableCommand, ShellRunnable {
        static let configuration = CommandConfiguration(
            abstract: "Create a connection from your organization to another one; it is pending until accepted.",
            discussion: "Example:\n  connection create --destination org_demo-bank"
        )

        @Option(help: "The destination organization (org_…).")
        var destination: String

        @OptionGroup var outputOptions: OutputOptions

        func validate() throws {
            if let problem = OrganizationID.problem(with: destination) { throw ValidationError("--destination: \(problem)") }
        }

        func run(in context: ShellContext) async throws -> CommandOutcome {
            let connection = try await ShareTokenCommand.client(context).createConnection(destinationOrganizationID: try OrganizationID(destination))
            return .result(try JSONValue(jsonAPIDocumentOf: connection))
        }
    }

    struct Accept: ParsableCommand, ShellRunnable {
        static let configuration = CommandConfiguration(
            abstract: "Accept a pending connection of which your organization is the destination (sandbox).")

        @Argument(help: "The connection id (cxn_…).")
        var id: String

        @OptionGroup var outputOptions: OutputOptions

        func validate() throws { _ = try ConnectionCommand.connectionID(id) }

        func run(in context: ShellContext) async throws -> CommandOutcome {
            .result(try JSONValue(jsonAPIDocumentOf: try await ShareTokenCommand.client(context).acceptConnection(try ConnectionCommand.connectionID(id))))
        }
    }

    struct Deactivate: ParsableCommand, ShellRunnable {
        static let configuration = CommandConfiguration(abstract: "Deactivate a pending or active connection (either side).")

        @Argument(help: "The connection id (cxn_…).")
        var id: String

        @OptionGroup var outputOptions: OutputOptions

        func validate() throws { _ = try ConnectionCommand.connectionID(id) }

        func run(in context: ShellContext) async throws -> CommandOutcome {
            .result(
                try JSONValue(jsonAPIDocumentOf: try await ShareTokenCommand.client(context).deactivateConnection(try ConnectionCommand.connectionID(id))))
        }
    }

    struct Reactivate: ParsableCommand, ShellRunnable {
        static let configuration = CommandConfiguration(
            abstract: "Reactivate an inactive connection you created; it is pending until accepted again.")

        @Argument(help: "The connection id (cxn_…).")
        var id: String

        @OptionGroup var outputOptions: OutputOptions

        func validate() throws { _ = try ConnectionCommand.connectionID(id) }

        func run(in context: ShellContext) async throws -> CommandOutcome {
            .result(
                try JSONValue(jsonAPIDocumentOf: try await ShareTokenCommand.client(context).reactivateConnection(try ConnectionCommand.connectionID(id))))
        }
    }
}
