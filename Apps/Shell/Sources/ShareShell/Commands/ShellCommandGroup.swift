import ArgumentParser

/// A command that only groups others (`sandbox`, `share-token`, `sandbox fault`): typed alone, with
/// `--help`, or after `help`, it prints its own help page (``ShellHelp/help(for:path:mode:)``) —
/// every command under it with its one line, and examples — and nothing runs.
protocol ShellCommandGroup: ParsableCommand {
    /// Lines that run commands of the group, as typed in the shell (without `share`); no
    /// `$references`, so that each also runs as `share LINE`.
    static var examples: [String] { get }
}
