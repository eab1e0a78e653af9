import ArgumentParser

/// Output flags every command accepts, after the command as well as before it (`share --json
/// partners`, `share partners --json`, and on any line of the shell).
struct OutputOptions: ParsableArguments, Sendable {
    @Flag(name: .long, help: "Print the exact API response as JSON.")
    var json = false

    @Flag(name: .long, help: "Print a table.")
    var table = false

    @Flag(name: .long, help: "Show tokens whole instead of shortened (pda-RDdg…T3hA).")
    var reveal = false

    @Flag(name: .long, help: "Print no notes on standard error, only the result.")
    var quiet = false

    init() {}

    func validate() throws {
        if json, table { throw ValidationError("choose --json or --table") }
    }

    /// The names of these flags, as typed.
    static let flagNames: Set<String> = ["--json", "--table", "--reveal", "--quiet"]
}
