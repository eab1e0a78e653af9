import ArgumentParser

/// `sandbox reset`: wipes what the embedded sandbox kept between runs.
struct SandboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Manage the state the embedded sandbox keeps between runs.",
        discussion: """
            The embedded sandbox keeps its users and tokens in $XDG_STATE_HOME/share/sandbox.sqlite
            (else ~/.local/state/share/sandbox.sqlite), shared by every run of `share`.
            """,
        subcommands: [Reset.self]
    )

    struct Reset: ParsableCommand, ShellRunnable {
        static let configuration = CommandConfiguration(
            abstract: "Delete the embedded sandbox's state; the next run starts empty. Refused while a run uses it.")

        @OptionGroup var outputOptions: OutputOptions

        func run(in context: ShellContext) async throws -> CommandOutcome {
            guard let state = context.sandboxState ?? EmbeddedSandboxState.standard() else {
                throw ValidationError("no state directory: set XDG_STATE_HOME or HOME")
            }
            let removed = try state.reset()
            return .message(removed ? "reset: deleted \(state.databaseURL.path)" : "reset: nothing kept at \(state.databaseURL.path)")
        }
    }
}
