import ArgumentParser
import ShareClient
import ShareModels
import ShareWire

/// `events list`: the events of the share-token API key's organization; `events redeliver`: a
/// sandbox sends one again.
struct EventsCommand: ShellCommandGroup {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "List your organization's events (GET /api/v1/events), or have the sandbox redeliver one.",
        subcommands: [List.self, Redeliver.self]
    )

    static let examples = [
        "events list --page-size 10",
    ]

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

    struct Redeliver: ParsableCommand, ShellRunnable {
        static let configuration = CommandConfiguration(
            abstract: "Have the sandbox send an event's webhook again (POST /sandbox/events/{id}/redeliver).")

        @Argument(help: ArgumentHelp("The event (evt_…).", valueName: "id"))
        var id: String

        @OptionGroup var outputOptions: OutputOptions

        func validate() throws {
            if let problem = EventID.problem(with: id) { throw ValidationError(problem) }
        }

        func run(in context: ShellContext) async throws -> CommandOutcome {
            let event = try EventID(id)
            let delivery = try await SandboxCommand.calling(context) { try await $0.redeliverEvent(id: event) }
            let note = delivery.delivered
                ? "delivered to \(delivery.url)" : "not delivered to \(delivery.url): \(delivery.error ?? "no answer")"
            return .annotatedResult(try JSONValue(encoding: delivery), note: note)
        }
    }
}
