import ArgumentParser
import ShareClient
import ShareWire

/// `sandbox fault add …` and `sandbox fault clear [ID]`: failures the sandbox injects into its
/// own answers.
struct SandboxFaultCommand: ShellCommandGroup {
    static let configuration = CommandConfiguration(
        commandName: "fault",
        abstract: "Inject failures into the sandbox's answers, or clear them.",
        subcommands: [Add.self, Clear.self]
    )

    static let examples = [
        "sandbox fault add --path /oauth/token --status 503 --times 2",
        "sandbox fault add --path /user/create --delay-ms 2000",
        "sandbox fault clear",
    ]

    struct Add: ParsableCommand, ShellRunnable {
        static let configuration = CommandConfiguration(
            abstract: "Make the next requests to a path fail, e.g. `--path /oauth/token --status 503 --times 2` (POST /sandbox/faults).",
            discussion: """
                A faulted answer carries the Sandbox-Fault header with the fault's id; an injected 429
                carries Retry-After. Give --status, --delay-ms or --drop-connection (a delay combines
                with either). Paths under /sandbox/ are never faulted.
                """)

        @Option(help: "The request path, e.g. /oauth/token.")
        var path: String

        @Option(help: "Only requests with this method, e.g. POST.")
        var method: String?

        @Option(help: "Only requests of this OAuth client id.")
        var clientID: String?

        @Option(help: "Answer with this error status (400–599).")
        var status: Int?

        @Option(help: "Answer with this JSON body (with --status).")
        var body: String?

        @Option(help: "Answer this many milliseconds late.")
        var delayMs: Int?

        @Flag(help: "Close the connection instead of answering.")
        var dropConnection = false

        @Option(help: "How many requests it applies to.")
        var times: Int = 1

        @OptionGroup var outputOptions: OutputOptions

        func validate() throws {
            guard path.hasPrefix("/") else { throw ValidationError("--path must start with /, e.g. /oauth/token") }
            if let method, method.isEmpty || !method.allSatisfy({ $0.isASCII && $0.isLetter }) {
                throw ValidationError("--method must be an HTTP method, e.g. POST")
            }
            if let status, !(400...599).contains(status) { throw ValidationError("--status must be an error status, 400 to 599") }
            if let delayMs, delayMs < 1 { throw ValidationError("--delay-ms must be 1 or more") }
            if dropConnection, status != nil || body != nil {
                throw ValidationError("--drop-connection closes the connection without an answer: it goes without --status and --body")
            }
            if times < 1 { throw ValidationError("--times must be 1 or more") }
            if status == nil, delayMs == nil, !dropConnection {
                throw ValidationError("give what goes wrong: --status, --delay-ms or --drop-connection")
            }
            if body != nil, status == nil { throw ValidationError("--body goes with --status") }
            _ = try parsedBody()
        }

        /// `--body` as JSON.
        private func parsedBody() throws -> JSONValue? {
            guard let body else { return nil }
            do {
                return try JSONValue(parsing: Array(body.utf8))
            } catch {
                throw ValidationError("--body must be JSON, e.g. '{\"error_code\":\"INTERNAL_SERVER_ERROR\"}'")
            }
        }

        func run(in context: ShellContext) async throws -> CommandOutcome {
            let fault = SandboxControl.Fault(
                method: method?.uppercased(), path: path, clientID: clientID, status: status, body: try parsedBody(),
                delayMilliseconds: delayMs, dropsConnection: dropConnection, times: times)
            return .result(try JSONValue(encoding: try await SandboxCommand.calling(context) { try await $0.addFault(fault) }))
        }
    }

    struct Clear: ParsableCommand, ShellRunnable {
        static let configuration = CommandConfiguration(
            abstract: "Remove one fault by id, or every fault (DELETE /sandbox/faults).")

        @Argument(help: ArgumentHelp("The fault to remove (flt_…); every fault when omitted.", valueName: "id"))
        var id: String?

        @OptionGroup var outputOptions: OutputOptions

        func run(in context: ShellContext) async throws -> CommandOutcome {
            guard let id else {
                let removed = try await SandboxCommand.calling(context) { try await $0.removeAllFaults() }
                return .annotatedResult(.object(["removed": .integer(removed)]), note: "cleared every fault (\(removed))")
            }
            let removed = try await SandboxCommand.calling(context) { try await $0.removeFault(id: id) }
            return .annotatedResult(try JSONValue(encoding: removed), note: "cleared \(id)")
        }
    }
}
