import ArgumentParser
import ShareClient
import ShareModels
import ShareWire

/// `connection list | show | create | accept | deactivate | reactivate`: the Connections API
/// (`/api/v1/connect/connections`) as one organization.
struct ConnectionCommand: ShellCommandGroup {
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

    static let examples = [
        "connection list",
        "connection create --destination org_demo-bank",
    ]

    /// `id` as a connection id, or a usage error.
    static func connectionID(_ id: String) throws -> ConnectionID {
        if let problem = ConnectionID.problem(with: id) { throw ValidationError(problem) }
        return ConnectionID(validated: id)
    }

    struct List: ParsableCommand, ShellRunnable {
        static let configuration = CommandConfiguration(
            abstract: "One page of the connections your organization is a side of, newest first; --after/--before move between pages.")

        @Option(help: "How many connections (1–100).")
        var pageSize: Int?

        @Option(help: "The next (older) page: the connections after this one (cxn_…).")
        var after: String?

        @Option(help: "The previous (newer) page: the connections before this one (cxn_…).")
        var before: String?

        @OptionGroup var outputOptions: OutputOptions

        func validate() throws {
            if after != nil, before != nil { throw ValidationError("--after and --before cannot be combined") }
            if let after, let problem = ConnectionID.problem(with: after) { throw ValidationError("--after: \(problem)") }
            if let before, let problem = ConnectionID.problem(with: before) { throw ValidationError("--before: \(problem)") }
        }

        func run(in context: ShellContext) async throws -> CommandOutcome {
            let page = try await ShareTokenCommand.client(context).connectionPage(
                pageSize: pageSize, after: try after.map { try ConnectionID($0) }, before: try before.map { try ConnectionID($0) })
            let next = page.links.next.flatMap { ListPageNote.value(of: "page[after]", inLink: $0) }
            let previous = page.links.prev.flatMap { ListPageNote.value(of: "page[before]", inLink: $0) }
            return ListPageNote.outcome(try JSONValue(encoding: page), command: "connection list", next: next, previous: previous)
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
