import ArgumentParser
import ShareModels
import ShareWire

/// `events list`: the events of the share-token API key's organization.
struct EventsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "List your organization's events (GET /api/v1/events).",
        subcommands: [List.self]
    )

    struct List: ParsableCommand, ShellRunnable {
        static let configuration = CommandConfiguration(
            abstract: "One page of events, newest first; --after continues from an event id.")

        @Option(help: "How many events (1–100).")
        var pageSize: Int?

        @Option(help: "Continue after this event id (evt_…).")
        var after: String?

        @OptionGroup var outputOptions: OutputOptions

        func validate() throws {
            if let after, let problem = EventID.problem(with: after) { throw ValidationError("--after: \(problem)") }
        }

        func run(in context: ShellContext) async throws -> CommandOutcome {
            // The page exactly as the API answered it: `data` and `links`.
            let (page, next) = try await ShareTokenCommand.client(context).eventPage(
                pageSize: pageSize, after: try after.map { try EventID($0) })
            let document = try JSONValue(encoding: page)
            guard let next else { return .result(document) }
            return .annotatedResult(document, note: "more events: events list --after \(next.rawValue)")
        }
    }
}
