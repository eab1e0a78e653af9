import ArgumentParser
import ShareClient
import ShareWire

/// `sandbox …`: the control plane of the sandbox the shell talks to (the embedded one, or a
/// share-sandbox given with --url): its clock, injected faults, and a reset to its start state.
struct SandboxCommand: ShellCommandGroup {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Control the sandbox: its clock, injected faults, a reset (/sandbox/…).",
        discussion: """
            These commands call the sandbox's control plane (/sandbox/…), on the embedded sandbox or
            on a share-sandbox given with --url; one started with --no-control-plane refuses them, and
            a share-gateway forwards them only when its operator allowlists /sandbox/.
            The embedded sandbox keeps its users, tokens and clock in $XDG_STATE_HOME/share/sandbox.sqlite
            (else ~/.local/state/share/sandbox.sqlite), shared by every run of `share`; faults last as
            long as the run, so add them in the shell or a piped script rather than one command at a time.
            """,
        subcommands: [SandboxClockCommand.self, SandboxFaultCommand.self, Faults.self, Reset.self]
    )

    static let examples = [
        "sandbox clock advance 14d",
        "sandbox fault add --path /oauth/token --status 503 --times 2",
        "sandbox faults",
        "sandbox reset",
    ]

    /// Runs `call` with the control-plane client of the shell's target; a target without a
    /// control plane is explained (``ControlPlaneUnavailable``) rather than shown as a bare 404.
    static func calling<Value>(_ context: ShellContext, _ call: (SandboxControl) async throws -> Value) async throws -> Value {
        guard let control = context.sandboxControl else { throw ValidationError("this run has no sandbox to control") }
        do {
            return try await call(control)
        } catch let error as ShareClientError {
            throw ControlPlaneUnavailable.explaining(error, target: context.target) ?? error
        }
    }

    struct Faults: ParsableCommand, ShellRunnable {
        static let configuration = CommandConfiguration(
            abstract: "List the active faults, with how many requests each still applies to (GET /sandbox/faults).")

        @OptionGroup var outputOptions: OutputOptions

        func run(in context: ShellContext) async throws -> CommandOutcome {
            let faults = try await SandboxCommand.calling(context) { try await $0.faults() }
            return .result(try JSONValue(encoding: ["faults": faults]))
        }
    }

    struct Reset: ParsableCommand, ShellRunnable {
        static let configuration = CommandConfiguration(
            abstract: "Put the sandbox back to its start state: tokens gone, faults cleared, clock reset (POST /sandbox/reset).",
            discussion: """
                On the embedded sandbox the start state is also what its state file keeps from now on.
                --delete-state deletes the embedded sandbox's state file instead, without starting it
                (also when the file cannot be opened); it is refused while another run uses it.
                """)

        @Flag(help: "Delete the embedded sandbox's state file instead of calling the sandbox.")
        var deleteState = false

        @OptionGroup var outputOptions: OutputOptions

        func run(in context: ShellContext) async throws -> CommandOutcome {
            if deleteState {
                guard case .embedded = context.target else {
                    throw ValidationError("--delete-state is the embedded sandbox's; it goes without --env, --url and --gateway")
                }
                guard let state = context.sandboxState ?? EmbeddedSandboxState.standard() else {
                    throw ValidationError("no state directory: set XDG_STATE_HOME or HOME")
                }
                let removed = try state.reset()
                return .message(removed ? "reset: deleted \(state.databaseURL.path)" : "reset: nothing kept at \(state.databaseURL.path)")
            }
            let clock = try await SandboxCommand.calling(context) { try await $0.reset() }
            // The API's answer: {"reset": true, "clock": {…}}.
            let answer = JSONValue.object(["reset": .bool(true), "clock": try JSONValue(encoding: clock)])
            return .annotatedResult(answer, note: "reset: the sandbox is back to its start state (tokens gone, faults cleared, clock reset)")
        }
    }
}
