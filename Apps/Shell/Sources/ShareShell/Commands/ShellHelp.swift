import ArgumentParser
import Foundation

/// The help overview: what `share --help`, `share -h`, `share help` and `help` in the shell print
/// — what the shell is, its options, its commands (from the command tree, ``CommandCatalog``) and
/// examples. Printing it starts nothing.
enum ShellHelp {
    /// Whether `arguments` (without the program name) ask for the overview: `--help` or `-h`
    /// before any command, or `help` alone.
    static func isOverviewRequest(_ arguments: [String]) -> Bool {
        var remaining = arguments[...]
        while let word = remaining.popFirst() {
            if word == "--help" || word == "-h" { return true }
            if optionsWithValues.contains(word) {
                remaining = remaining.dropFirst()
            } else if !word.hasPrefix("-") {
                return word == "help" && remaining.allSatisfy { $0.hasPrefix("-") && $0 != "--help" && $0 != "-h" }
            }
        }
        return false
    }

    /// Options of `share` that take a value (`--env sandbox`).
    static let optionsWithValues: Set<String> = ["--env", "--url", "--gateway", "--credentials", "--port", "--as"]

    /// `share --help`.
    static var commandLineOverview: String {
        """
        share — \(ShareShellTool.configuration.abstract)

        USAGE:
          share [OPTIONS]                   the interactive shell (on a terminal)
          share [OPTIONS] COMMAND [ARGS]    run one command and exit
          … | share [OPTIONS]               run each line of standard input, in order

        \(options)

        \(commands)

        Output flags work before or after the command, and on any line of the shell.
        \(references)

        TARGETS AND CREDENTIALS:
          With no --env, --url or --gateway, a sandbox starts inside the process with its demo
          client: nothing else is needed. Its state (users, tokens) is kept in
          $XDG_STATE_HOME/share/sandbox.sqlite (else ~/.local/state/share/sandbox.sqlite) and shared
          by every run; `share sandbox reset` puts it back to its start state, and
          `share sandbox reset --delete-state` deletes the file. `sandbox clock` and `sandbox fault`
          drive the control plane (/sandbox/…) of the embedded sandbox or of a --url share-sandbox.
          Credentials for --url, --env sandbox and --env production come from --credentials FILE
          (JSON or .env, not readable by others), else PLAID_CLIENT_ID / PLAID_SECRET, else a prompt
          (--ask-secret) that does not echo. A secret is never taken as an option value.
          A share-gateway adds its own credentials: --gateway URL (or a --url that answers as a
          gateway) needs none. Share-token commands act as the organization of SHARE_API_KEY;
          `as ORG` (or --as ORG) switches: on the embedded sandbox between org_demo-lender and
          org_demo-bank, through a --gateway to any organization the gateway holds a key for (sent
          as Share-Organization), elsewhere to the organization whose key is in SHARE_API_KEY_<ORG>.
          partners, env, help, COMMAND --help, a command group alone (`share sandbox` lists its
          commands) and sandbox reset --delete-state never need credentials.

        EXAMPLES:
          share
          share partners
          share token client-credentials --table
          share introspect "$(share token client-credentials | jq -r .access_token)"
          printf 'user create\\nshare report --user $last.user_id --with fannie-mae\\n' | share
          share --gateway http://127.0.0.1:8081 token client-credentials
          share --url http://127.0.0.1:8080 --credentials creds.json user create

        EXIT CODES:
          0 ok, 1 the API answered with an error, 2 usage or configuration error (nothing was sent),
          3 transport error (no answer).
        """
    }

    /// `help` in the shell.
    static var shellOverview: String {
        """
        \(commands)

        OUTPUT FLAGS (on any line):
          --json      print the exact API response as JSON
          --table     print a table
          --reveal    show tokens whole instead of shortened
          --quiet     print no notes, only the result
        \(references)

        EXAMPLES:
          user create
          share report --user $last.user_id --with fannie-mae,experian
          introspect $last.access_token
          revoke $2.refresh_token
          as org_demo-bank
          sandbox clock advance 14d
          sandbox fault add --path /oauth/token --status 503 --times 2

        `help COMMAND` shows a command's options; Tab completes commands, flags and partner ids.
        """
    }

    /// The help of one command, whose words are `path`: for a command group (``ShellCommandGroup``)
    /// its own page — what it does, every command under it with its one line, and examples — for
    /// any other command the argument parser's page of its options.
    static func help(for command: ParsableCommand.Type, path: [String], mode: UsageErrorMessage.Mode) -> String {
        guard let group = command as? any ShellCommandGroup.Type else { return ShellCommand.helpMessage(for: command) }
        let program = mode == .commandLine ? "share " : ""
        let name = path.joined(separator: " ")
        let entries = CommandCatalog.entries(under: path)
        let width = (entries.map(\.name.count).max() ?? 0) + 2
        let commands = entries.map { entry in
            "  " + entry.name.padding(toLength: width, withPad: " ", startingAt: 0) + entry.abstract
        }
        let configuration = group.configuration
        let discussion = configuration.discussion.isEmpty ? [] : [configuration.discussion.trimmingCharacters(in: .whitespacesAndNewlines), ""]
        let lines = [
            "\(name) — \(configuration.abstract)",
            "",
            "USAGE: \(program)\(name) COMMAND [OPTIONS]",
            "",
            "COMMANDS:",
        ] + commands + [""] + discussion + ["EXAMPLES:"] + group.examples.map { "  \(program)\($0)" } + [
            "",
            "`\(program)help \(name) COMMAND` shows a command's options.",
        ]
        return lines.joined(separator: "\n")
    }

    /// `share`'s own options, as the argument parser describes them.
    private static var options: String {
        let help = ShareShellTool.helpMessage(columns: 100)
        guard let start = help.range(of: "OPTIONS:") else { return "" }
        return help[start.lowerBound...].trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static var commands: String {
        let width = (CommandCatalog.entries.map(\.name.count).max() ?? 0) + 2
        let lines = CommandCatalog.entries.map { entry in
            "  " + entry.name.padding(toLength: width, withPad: " ", startingAt: 0) + entry.abstract
        }
        return (["COMMANDS:"] + lines).joined(separator: "\n")
    }

    private static let references = """
        Results of earlier commands: $last.FIELD (the latest), $N.FIELD (the N-th of the session),
        and `set NAME VALUE` defines $NAME.
        """
}
