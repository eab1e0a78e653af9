import ArgumentParser

/// `history` lists the lines entered, numbered from the oldest; `history delete N` removes one
/// from memory and from the history file.
struct HistoryCommand: ShellCommandGroup {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List the lines entered, numbered; `history delete N` removes one.",
        discussion: """
            Lines are kept in $XDG_STATE_HOME/share/history (else ~/.local/state/share/history). A line
            that repeats the previous one is kept once; a line starting with a space is not kept.
            """,
        subcommands: [List.self, Delete.self],
        defaultSubcommand: List.self
    )

    static let examples = [
        "history",
        "history delete 3",
    ]

    struct List: ParsableCommand, ShellRunnable {
        static let configuration = CommandConfiguration(abstract: "List the entries, numbered from the oldest.")

        @OptionGroup var outputOptions: OutputOptions

        func run(in context: ShellContext) async throws -> CommandOutcome {
            let entries = context.history?.entries ?? []
            let numberWidth = max(String(entries.count).count, 3)
            let lines = entries.enumerated().map { index, line in
                let number = String(index + 1)
                return String(repeating: " ", count: numberWidth - number.count) + number + "  " + line
            }
            return .message(lines.joined(separator: "\n"))
        }
    }

    struct Delete: ParsableCommand, ShellRunnable {
        static let configuration = CommandConfiguration(abstract: "Remove entry N (as `history` numbers it).")

        @Argument(help: "The entry's number.")
        var number: Int

        @OptionGroup var outputOptions: OutputOptions

        func run(in context: ShellContext) async throws -> CommandOutcome {
            guard let removed = context.history?.delete(number: number) else {
                throw ValidationError("no history entry \(number); `history` lists them")
            }
            return .message("deleted \(number): \(removed)")
        }
    }
}
