/// The exit status of `share`, documented in the README.
enum ShellExitCode: Int32, Sendable {
    /// Every command succeeded.
    case ok = 0
    /// The API answered with an error (OAuth error, API error, JSON:API errors).
    case apiError = 1
    /// The command line or the configuration was wrong, and nothing was sent: unknown command,
    /// bad option, unresolved `$reference`, bad `--env`/`--url`, missing credentials or API key.
    case usage = 2
    /// The API could not be reached, timed out, or answered something unreadable.
    case transport = 3
}
