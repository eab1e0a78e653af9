import Logging
import ShareClient
import ShareModels
import SharePartners
import ShareWire

/// Everything a command needs to run: the API clients of the current target and the partner
/// registry. A value type, so a running command can be cancelled without sharing mutable state.
struct ShellContext: Sendable {
    /// Where requests go, for `env` and the banner.
    var target: ShellTarget
    /// The client id requests authenticate with (never the secret).
    var clientID: String
    var oauth: OAuthClient
    var partners: PartnerRegistry
    /// The share-token API as one organization (`SHARE_API_KEY`, or the demo lender's key on the
    /// embedded sandbox); `nil` when no key is known.
    var shareTokens: ShareTokenClient? = nil
    /// The lines entered, for the `history` command; `nil` when there is no history file.
    var history: HistoryStore? = nil
}

/// What a command produced.
enum CommandOutcome: Sendable, Equatable {
    /// An API response (or other structured result), remembered as `$last` and `$N`.
    case result(JSONValue)
    /// Text for a person, not remembered.
    case message(String)
    /// `set NAME VALUE`.
    case setVariable(name: String, value: JSONValue)
    /// `exit`.
    case exit
}

/// A command of the shell's command tree.
protocol ShellRunnable: Sendable {
    /// Output options of this line (`--json`, `--reveal`).
    var outputOptions: OutputOptions { get }
    func run(in context: ShellContext) async throws -> CommandOutcome
}
