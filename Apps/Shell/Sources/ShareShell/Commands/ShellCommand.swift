import ArgumentParser

/// The command tree of one shell line. Each line of the REPL, of a piped script, and the words of
/// `share <command> …` are parsed with `ShellCommand.parseAsRoot(words)`.
struct ShellCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "share",
        abstract: "Mint, inspect and revoke ShareKit tokens.",
        discussion: """
            Results can be used by later lines: $last.access_token is a field of the latest result,
            $2.refresh_token a field of the second result of the session, and `set NAME VALUE`
            defines $NAME.
            """,
        subcommands: [
            UserCommand.self,
            TokenCommand.self,
            ShareCommand.self,
            ShareTokenCommand.self,
            ConnectionCommand.self,
            EventsCommand.self,
            AsCommand.self,
            IntrospectCommand.self,
            RevokeCommand.self,
            PartnersCommand.self,
            EnvCommand.self,
            WhoamiCommand.self,
            SetCommand.self,
            HistoryCommand.self,
            SandboxCommand.self,
            ExitCommand.self,
        ]
    )

    /// Top-level command names, for completion.
    static var commandNames: [String] {
        configuration.subcommands.map { $0._commandName } + ["help"]
    }
}
